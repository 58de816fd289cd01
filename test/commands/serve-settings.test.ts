/** What `serve` tells the machines that send to it. */
import { describe, expect, it } from 'vitest';
import { senderSettings } from '../../src/commands/serve.js';
import { RequestRefusals } from '../../src/app/receive.js';
import { NOT_HTTP } from '../../src/receiver/server.js';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTls, readToken } from '../../src/app/listen.js';
import { UsageError } from '../../src/app/config.js';

describe('sender settings', () => {
  it('lists every variable Claude Code needs, with the endpoint as served', () => {
    expect(senderSettings('http://127.0.0.1:4318', false, '127.0.0.1')).toBe(
      [
        // On a loopback address it says who can send, and how to take the others.
        'Only this machine reaches 127.0.0.1; for others: --listen 0.0.0.0:PORT --token-file FILE.',
        'On this machine, set (grpc and http/json work too):',
        '  export CLAUDE_CODE_ENABLE_TELEMETRY=1',
        '  export OTEL_LOGS_EXPORTER=otlp',
        '  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        '  export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318',
        '',
      ].join('\n'),
    );
  });

  it('names no wildcard address as the endpoint, and asks for the token header when one is required', () => {
    const v4 = senderSettings('https://0.0.0.0:4318', true, '0.0.0.0');
    expect(v4).toContain('export OTEL_EXPORTER_OTLP_ENDPOINT=https://<this machine>:4318\n');
    expect(v4).toContain('export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <the token>"');
    expect(senderSettings('http://[::]:4318', true, '::')).toContain('ENDPOINT=http://<this machine>:4318\n');
    expect(senderSettings('http://[::1]:4318', false, '::1')).toContain('ENDPOINT=http://[::1]:4318\n');
  });
});

describe("serve's count of refused requests", () => {
  const r = (status: number, path = '/v1/logs') => ({ path, status, records: 0, rejected: 0, reason: null });

  it('says nothing until a request is refused; answered ones are not refusals', () => {
    const refusals = new RequestRefusals();
    expect(refusals.add(r(200))).toBe(false);
    expect(refusals.line()).toBeNull();
  });

  it('counts a store unable to take a batch (503): the official gRPC exporter drops what it sent', () => {
    const refusals = new RequestRefusals();
    const busy = 'The database is busy: another process (another creditmeter, a sqlite3 shell) held it too long';
    expect(refusals.add({ ...r(503), reason: busy })).toBe(true);
    expect(refusals.line()).toBe(
      '1 HTTP request refused so far: 1 with the store unable to take it: held by another process, or its disk failing (HTTP senders retry, gRPC ones do not) (503); another process held the store (a sqlite3 shell, a long export?): let it finish',
    );
    // A store that failed otherwise (a full disk) is not blamed on a lock.
    const full = new RequestRefusals();
    full.add({ ...r(503), reason: 'The disk holding the database /x/usage.db is full (12 KB free on /x)' });
    expect(full.line()).toMatch(/\(503\); the store failed: The disk holding the database \/x\/usage\.db is full/);
    expect(full.line()).not.toContain('another process held');
  });

  it('names each cause with its count, the commonest first, and the first unknown path with the fix', () => {
    const refusals = new RequestRefusals();
    for (const x of [r(404, '/'), { ...r(401), from: '10.0.0.7' }, r(404, '/v1/log\u001b[2J'), r(404), r(413)])
      expect(refusals.add(x)).toBe(true);
    expect(refusals.total).toBe(5);
    expect(refusals.line()).toBe(
      "5 HTTP requests refused so far: 3 with a path other than /v1/logs (404, first /), 1 with a missing or wrong token (401, last from 10.0.0.7), 1 with a body over --max-body-mb (413); give that sender serve's token (--token-file or CREDITMETER_TOKEN) as OTEL_EXPORTER_OTLP_HEADERS='Authorization=Bearer …'; raise --max-body-mb, or make a Collector's batches smaller; set OTEL_EXPORTER_OTLP_ENDPOINT to the address alone, the exporter adds /v1/logs",
    );
    const odd = new RequestRefusals();
    odd.add(r(404, '/v1/log\u001b[2J'));
    expect(odd.line()).toContain('(404, first /v1/log\\u{1b}[2J)');
  });

  it('names connections refused before any request: TLS on the wrong port, or a certificate not trusted', () => {
    const refusals = new RequestRefusals();
    const c = (status: number, reason: string) => ({ path: '', status, records: 0, rejected: 0, reason });
    expect(refusals.add(c(NOT_HTTP.tlsOnPlainPort, 'a TLS handshake on a plain-HTTP port'))).toBe(true);
    expect(refusals.line()).toBe(
      '1 HTTP request refused so far: 1 with TLS on this plain-HTTP port; give senders http:// (or start serve with --tls-cert and --tls-key)',
    );
    const tls = new RequestRefusals();
    for (const x of [
      c(NOT_HTTP.handshakeFailed, 'the sender hung up'),
      c(NOT_HTTP.handshakeFailed, 'ERR_SSL_X'),
      c(NOT_HTTP.plainOnTlsPort, ''),
    ])
      tls.add(x);
    expect(tls.line()).toBe(
      "3 HTTP requests refused so far: 2 with a failed TLS handshake (first the sender hung up), 1 with plain HTTP on this HTTPS port; give senders https://; a sender that does not trust this certificate needs its CA (NODE_EXTRA_CA_CERTS, a Collector's ca_file)",
    );
  });
});

describe('TLS files', () => {
  const tls = join(fileURLToPath(new URL('../../fixtures/tls', import.meta.url)));
  it('takes a certificate with its key', () => {
    expect(readTls(join(tls, 'cert.pem'), join(tls, 'key.pem'))).not.toBeNull();
  });

  it('names the files when they are not a PEM certificate and its key, before anything listens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-tls-'));
    const junk = join(dir, 'token');
    writeFileSync(junk, 'not a certificate\n');
    expect(() => readTls(junk, junk)).toThrow(UsageError);
    expect(() => readTls(junk, junk)).toThrow(
      `The TLS certificate ${junk} and key ${junk} are not a PEM certificate with its private key (`,
    );
    // A certificate given with itself as the key.
    expect(() => readTls(join(tls, 'cert.pem'), join(tls, 'cert.pem'))).toThrow(/are not a PEM certificate/);
    expect(() => readTls(join(dir, 'missing.pem'), junk)).toThrow(/Cannot read the TLS certificate .*ENOENT/);
  });
});

describe('the token file', () => {
  it.skipIf(process.platform === 'win32')('is said when other users of the machine can read it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'a-secret-token\n');
    const said: string[] = [];
    chmodSync(file, 0o644);
    expect(readToken(file, {}, (l) => said.push(l))).toBe('a-secret-token');
    expect(said).toEqual([
      `creditmeter: the token file ${file} can be read by other users of this machine; chmod 600 it.`,
    ]);
    chmodSync(file, 0o600);
    said.length = 0;
    expect(readToken(file, {}, (l) => said.push(l))).toBe('a-secret-token');
    expect(said).toEqual([]);
  });
});
