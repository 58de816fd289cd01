/**
 * `creditmeter serve` as teams run it: the built CLI on a loopback port, fed by the real
 * OpenTelemetry logs SDK and OTLP/HTTP exporters (JSON and protobuf, gzip), with retries, several
 * senders, wrong tokens, bad bodies, transcript copies of the same requests, kill -9 and SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:http2';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath } from './build-cli.js';
import {
  apiRequestAttributes,
  exportRecords,
  makeRecords,
  sessionEvents,
  type ApiRequest,
} from '../helpers/otel-client.js';

interface Server {
  url: string;
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const SECRET = 'PRIVATE-PROMPT-TEXT-4711';
const MODEL = 'claude-sonnet-4-5-20250929';

function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', CREDITMETER_TOKEN: '', CLAUDE_CONFIG_DIR: '' };
}

/** Every `serve` still running: one a failed test left behind is ended after the file. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const proc of running) proc.kill('SIGKILL');
});

/** Starts `serve` and resolves once it printed its endpoint. */
function serve(dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const root = path.join(dir, 'claude');
  mkdirSync(path.join(root, 'projects'), { recursive: true });
  const args = [cliPath, 'serve', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'store.db'), '--claude-dir', root];
  args.push('--config', path.join(dir, 'config.json'), ...extra);
  const proc = spawn(process.execPath, args, { env: { ...cliEnv(), ...env } });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let out = '';
  proc.stdout!.on('data', (d) => (out += String(d)));
  proc.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    const check = (): void => {
      const m = /receiving OpenTelemetry on (http\S+)\/v1\/logs/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, proc, output: () => out, exited });
      }
    };
    proc.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited: ${out}`));
    });
  });
}

async function stop(s: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  s.proc.kill(signal);
  return s.exited;
}

function cli(dir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [cliPath, ...args, '--db', path.join(dir, 'store.db'), '--claude-dir', path.join(dir, 'claude')],
      { env: { ...cliEnv(), XDG_CONFIG_HOME: path.join(dir, 'xdg') } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Totals {
  requests: number;
  cost: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
}

async function report(dir: string, by = 'class'): Promise<{ rows: Array<Totals & { key: string }>; totals: Totals }> {
  const r = await cli(dir, ['report', '--by', by, '--class', 'all', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { rows: Array<Totals & { key: string }>; totals: Totals };
}

function newDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-serve-'));
  writeFileSync(path.join(dir, 'config.json'), '{}');
  return dir;
}

const base = Date.now() - 3600_000;
function request(i: number, over: Partial<ApiRequest> = {}): ApiRequest {
  return {
    requestId: `req_${i.toString(36)}_${over.sessionId ?? 's'}`,
    sessionId: 'sess-1',
    model: MODEL,
    input: 100 + i,
    output: 50 + i,
    cacheRead: 1000,
    cacheCreation: 400,
    entrypoint: 'sdk-cli',
    ts: base + i * 1000,
    user: 'dev@example.com',
    repo: 'billing-api',
    workflow: 'nightly',
    runId: '9001',
    ...over,
  };
}

/** The price of one request at Sonnet 4.5's list rates (input 3, output 15, read 0.30, 5m 3.75, 1h 6 per million). */
function sonnetCost(r: { input: number; output: number; cacheRead: number; w5: number; w1: number }): number {
  return (r.input * 3 + r.output * 15 + r.cacheRead * 0.3 + r.w5 * 3.75 + r.w1 * 6) / 1e6;
}

beforeAll(() => buildCli(), 120_000);

describe('serve with the real OpenTelemetry exporters', () => {
  it('stores api_request events sent as JSON and as gzip protobuf, once each, and keeps no text', async () => {
    const dir = newDir();
    const s = await serve(dir);
    const reqs = Array.from({ length: 6 }, (_, i) => request(i));
    const json = await makeRecords(sessionEvents(reqs.slice(0, 3), SECRET), { 'host.name': 'ci-runner-7' });
    const proto = await makeRecords(sessionEvents(reqs.slice(3), SECRET), { 'host.name': 'ci-runner-8' });
    expect(await exportRecords(s.url, json, { protocol: 'json' })).toBe(true);
    expect(await exportRecords(s.url, proto, { protocol: 'protobuf', gzip: true })).toBe(true);
    // An exporter retry: the same batch again changes nothing.
    expect(await exportRecords(s.url, proto, { protocol: 'protobuf', gzip: true })).toBe(true);
    expect(await stop(s)).toBe(0);
    // Its terminal says the retry's events were known already, not 9 new requests.
    expect(s.output()).toContain('9 request events received in 3 batches (6 new, 3 already known)');

    const r = await report(dir, 'host');
    expect(r.totals.requests).toBe(6);
    const expected = reqs.reduce(
      (sum, q) => sum + sonnetCost({ input: q.input, output: q.output, cacheRead: 1000, w5: 400, w1: 0 }),
      0,
    );
    expect(r.totals.cost).toBeCloseTo(expected, 9);
    expect(r.rows.map((x) => [x.key, x.requests]).sort()).toEqual([
      ['ci-runner-7', 3],
      ['ci-runner-8', 3],
    ]);
    const byWorkflow = await report(dir, 'workflow');
    expect(byWorkflow.rows).toEqual([expect.objectContaining({ key: 'nightly', requests: 6 })]);
    const byUser = await report(dir, 'user');
    expect(byUser.rows).toEqual([expect.objectContaining({ key: 'dev@example.com', requests: 6 })]);
    const byClass = await report(dir, 'class');
    expect(byClass.rows).toEqual([expect.objectContaining({ key: 'programmatic', requests: 6 })]);
    // status names who spent the cycle's credit, as telemetry attributes it.
    const status = await cli(dir, ['status']);
    expect(status.code, status.stderr).toBe(0);
    const money = `$${expected.toFixed(2)}`;
    expect(status.stdout).toContain(`Workflows     nightly ${money}\n`);
    expect(status.stdout).toContain(`Users         dev@example.com ${money}\n`);
    expect(status.stdout).toContain(`Repositories  billing-api ${money}\n`);
    // And so do the snapshots a team lead shares.
    const md = await cli(dir, ['export', '--format', 'md', '--out', '-']);
    expect(md.stdout).toMatch(/## Top workflows\n\n[^#]*\| nightly \| 6 \|/);
    expect(md.stdout).toMatch(/## Top users\n\n[^#]*\| dev@example\.com \| 6 \|/);
    expect(md.stdout).toMatch(/## Top repositories\n\n[^#]*\| billing-api \| 6 \|/);
    const html = await cli(dir, ['export', '--format', 'html', '--out', '-', '--by', 'user']);
    expect(html.stdout).toContain('<section id="who-workflow"><h2>Top workflows');
    expect(html.stdout).toContain('<section id="by-user">');
    expect(html.stdout).not.toContain('<section id="who-user">');
    // Privacy: no prompt, body or tool input reached the database, its WAL or its journal.
    for (const f of readdirSync(dir).filter((n) => n.startsWith('store.db'))) {
      expect(readFileSync(path.join(dir, f)).includes(SECRET), f).toBe(false);
    }
  });

  it('takes four senders at once without losing or doubling a request', async () => {
    const dir = newDir();
    const s = await serve(dir);
    const batches = await Promise.all(
      [0, 1, 2, 3].map((k) =>
        makeRecords(
          Array.from({ length: 150 }, (_, i) => {
            const q = request(k * 1000 + i, { sessionId: `sess-${k}` });
            return { body: 'claude_code.api_request', attributes: apiRequestAttributes(q), ts: q.ts };
          }),
        ),
      ),
    );
    const results = await Promise.all(
      batches.map((b, k) => exportRecords(s.url, b, { protocol: k % 2 === 0 ? 'json' : 'protobuf', gzip: k > 1 })),
    );
    expect(results).toEqual([true, true, true, true]);
    await stop(s);
    const r = await report(dir, 'session');
    expect(r.totals.requests).toBe(600);
    expect(r.rows.every((x) => x.requests === 150)).toBe(true);
  });

  it("takes a request named only by the record's eventName field (OTLP 1.5), over JSON, protobuf and gRPC", async () => {
    const dir = newDir();
    const s = await serve(dir);
    const protocols = ['json', 'protobuf', 'grpc'] as const;
    for (const [k, protocol] of protocols.entries()) {
      const q = request(k, { sessionId: `sess-named-${protocol}` });
      const { 'event.name': _named, ...attributes } = apiRequestAttributes(q);
      // No body and no event.name attribute; and a prompt named the same way, which is not billable.
      const records = await makeRecords([
        { eventName: 'claude_code.api_request', attributes, ts: q.ts },
        { eventName: 'claude_code.user_prompt', attributes: { 'session.id': q.sessionId, prompt: SECRET }, ts: q.ts },
      ]);
      expect(await exportRecords(s.url, records, { protocol }), protocol).toBe(true);
    }
    expect(await stop(s)).toBe(0);
    const r = await report(dir, 'session');
    expect(r.rows.map((x) => [x.key, x.requests]).sort()).toEqual(protocols.map((p) => [`sess-named-${p}`, 1]).sort());
    for (const f of readdirSync(dir).filter((n) => n.startsWith('store.db'))) {
      expect(readFileSync(path.join(dir, f)).includes(SECRET), f).toBe(false);
    }
  });

  it('refuses a wrong or missing token with 401 and stores nothing; the right token gets in', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'token'), 's3cret-token\n');
    const s = await serve(dir, ['--token-file', path.join(dir, 'token')]);
    // It says what a sender sets, the token's header included (never the token itself).
    expect(s.output()).toContain(`export OTEL_EXPORTER_OTLP_ENDPOINT=${s.url}\n`);
    expect(s.output()).toContain('export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <the token>"');
    expect(s.output()).not.toContain('s3cret');
    const records = await makeRecords(sessionEvents([request(1)], SECRET));
    expect(await exportRecords(s.url, records, { protocol: 'json', token: 'wrong' })).toBe(false);
    expect(await exportRecords(s.url, records, { protocol: 'protobuf' })).toBe(false);
    const raw = await fetch(`${s.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret-tokeX' },
      body: '{}',
    });
    expect(raw.status).toBe(401);
    // The right token to the address alone (as OTEL_EXPORTER_OTLP_LOGS_ENDPOINT set without its path).
    expect(await exportRecords(s.url, records, { protocol: 'protobuf', token: 's3cret-token', path: '/' })).toBe(false);
    expect((await report(dir)).totals.requests).toBe(0);
    expect(await exportRecords(s.url, records, { protocol: 'protobuf', token: 's3cret-token' })).toBe(true);
    // A health probe's wrong path, or a scanner's POST, is no sender set up wrong.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(404);
    const scan = await fetch(`${s.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(scan.status).toBe(404);
    // A path ending as the logs' does is an endpoint given /v1/logs twice.
    const twice = await fetch(`${s.url}/v1/logs/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: '',
    });
    expect(twice.status).toBe(404);
    await stop(s);
    expect((await report(dir)).totals.requests).toBe(1);
    // The terminal running serve says so: what was refused and why, and how many at the stop.
    expect(s.output()).toMatch(
      /^creditmeter: 1 HTTP request refused so far: 1 with a missing or wrong token \(401, last from 127\.0\.0\.1\); give that sender serve's token \(--token-file or CREDITMETER_TOKEN\)/m,
    );
    expect(s.output()).toMatch(/stopped on SIGTERM; 1 request event received in 1 batch; 7 HTTP requests refused\n/);
    // And `status`, where a serve running as a service is looked at: the exporter's wrong path
    // too, not the probe's (health probes and scanners are left to serve's terminal).
    const status = await cli(dir, ['status']);
    expect(status.stdout.replace(/\n\s+/g, ' ')).toMatch(
      /Refused {3}5 requests to serve since this store began \(the last \w{3} \d+ \d\d:\d\d\): 3 with a missing or wrong token \(401\), 2 with an OTLP sender's path other than \/v1\/logs: give OTEL_EXPORTER_OTLP_ENDPOINT the address alone \(the exporter adds \/v1\/logs\), or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT the whole URL with \/v1\/logs \(404\)\n/,
    );
    const json = JSON.parse((await cli(dir, ['status', '--json'])).stdout) as { requestsRefused?: unknown };
    expect(json.requestsRefused).toEqual({ '401': 3, '404-otlp': 2 });
  });

  it('says the first refused request at once, even just after a progress line', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'token'), 's3cret-token\n');
    const s = await serve(dir, ['--token-file', path.join(dir, 'token')]);
    const records = await makeRecords(sessionEvents([request(1)], SECRET));
    expect(await exportRecords(s.url, records, { protocol: 'json', token: 's3cret-token' })).toBe(true);
    const waitFor = async (re: RegExp, ms: number): Promise<void> => {
      const start = Date.now();
      while (Date.now() - start < ms && !re.test(s.output())) await new Promise((r) => setTimeout(r, 50));
    };
    await waitFor(/1 request event received/, 8_000);
    expect(s.output()).toMatch(/1 request event received/);
    const sent = Date.now();
    expect(await exportRecords(s.url, records, { protocol: 'json', token: 'wrong' })).toBe(false);
    // Progress lines come at most every 10 s; the refusal does not wait for the next one (nor for
    // the stop). 8 s leaves a slow machine room and still tells it from the 10 s clock.
    const refusal = /refused so far: 1 with a missing or wrong token/;
    await waitFor(refusal, 8_000 - (Date.now() - sent));
    const beforeStop = s.output();
    await stop(s);
    expect(beforeStop, s.output()).toMatch(refusal);
  });

  it('says at the start which root has no projects folder, and when it comes', async () => {
    const dir = newDir();
    const bare = path.join(dir, 'bare-root');
    mkdirSync(bare);
    const s = await serve(dir, ['--claude-dir', bare]);
    const waitFor = async (text: string): Promise<void> => {
      const end = Date.now() + 8000;
      while (!s.output().includes(text)) {
        if (Date.now() > end) throw new Error(`no "${text}" in: ${s.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(`${bare} has no projects folder: nothing to read there.`);
    mkdirSync(path.join(bare, 'projects'));
    await waitFor(`${path.join(bare, 'projects')} is there now`);
    await stop(s);
  });

  it('says once that metrics came and no log event, with the setting; not when logs come too', async () => {
    const metrics = (url: string) =>
      fetch(`${url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"resourceMetrics":[]}',
      });
    const dir = newDir();
    const s = await serve(dir);
    for (let i = 0; i < 2; i++) expect((await metrics(s.url)).status).toBe(200);
    await stop(s);
    const said = s.output().match(/metrics came, but no log event/g) ?? [];
    expect(said).toHaveLength(1);
    expect(s.output().replace(/\n/g, ' ')).toContain('Set OTEL_LOGS_EXPORTER=otlp on the senders');
    // Set up as Claude Code's docs say, metrics and logs both: nothing to say.
    const both = await serve(newDir());
    expect((await metrics(both.url)).status).toBe(200);
    const records = await makeRecords(sessionEvents([request(1)], SECRET));
    expect(await exportRecords(both.url, records, { protocol: 'json' })).toBe(true);
    await stop(both);
    expect(both.output()).not.toContain('no log event');
  });

  it('counts a batch it could not store while another process held the store (503), once the store is free', async () => {
    const dir = newDir();
    const s = await serve(dir);
    const records = await makeRecords(sessionEvents([request(1)], SECRET));
    // Another program (here a plain SQLite connection, as a sqlite3 shell) holds the store.
    const other = new Database(path.join(dir, 'store.db'));
    other.exec('BEGIN EXCLUSIVE');
    // The official gRPC exporter does not retry UNAVAILABLE: that batch is gone, and must be said.
    expect(await exportRecords(s.url, records, { protocol: 'grpc', timeoutMillis: 20_000 })).toBe(false);
    other.exec('COMMIT');
    other.close();
    // Counted once the store is free, though no other batch comes to write it with (a sender
    // whose batch was dropped may well go quiet): serve tries again every 2 s.
    let counted = false;
    for (let i = 0; i < 25 && !counted; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const json = JSON.parse((await cli(dir, ['status', '--json'])).stdout) as { requestsRefused?: unknown };
      counted = JSON.stringify(json.requestsRefused) === '{"503":1}';
    }
    expect(counted).toBe(true);
    expect(await exportRecords(s.url, records, { protocol: 'json' })).toBe(true);
    await stop(s);
    expect(s.output()).toMatch(
      /refused so far: 1 with the store unable to take it: held by another process.*\(503\); another process held the store/,
    );
    const status = await cli(dir, ['status']);
    expect(status.stdout.replace(/\n\s+/g, ' ')).toMatch(
      /Refused {3}1 request to serve since this store began \(the last \w{3} \d+ \d\d:\d\d\): 1 with the store unable to take it: held by another process/,
    );
    expect((await report(dir)).totals.requests).toBe(1);
  }, 30_000);

  it('says why records were refused, on its terminal and in status, and stores the rest', async () => {
    const dir = newDir();
    const s = await serve(dir);
    const good = request(1);
    const attrs = (q: ApiRequest, over: Record<string, string | number>) => ({ ...apiRequestAttributes(q), ...over });
    const records = await makeRecords([
      { body: 'claude_code.api_request', attributes: apiRequestAttributes(good), ts: good.ts },
      { body: 'claude_code.api_request', attributes: attrs(request(2), { output_tokens: 'lots' }), ts: good.ts },
      { body: 'claude_code.api_request', attributes: attrs(request(3), { input_tokens: -5 }), ts: good.ts },
      { body: 'claude_code.api_request', attributes: attrs(request(4), { model: '' }), ts: good.ts },
    ]);
    expect(await exportRecords(s.url, records, { protocol: 'protobuf' })).toBe(true);
    await stop(s);
    expect(s.output()).toContain(
      'stopped on SIGTERM; 1 request event received in 1 batch; 3 refused: 2 with token counts that are no counts, or over 100 million (bad-usage), 1 with no model (missing-model)\n',
    );
    expect((await report(dir)).totals.requests).toBe(1);
    const status = await cli(dir, ['status']);
    expect(status.stdout.replace(/\n\s+/g, ' ')).toMatch(/^Refused +3 telemetry records since this store began/m);
  });

  it('keeps a request whose workflow or user is named in over 512 characters, with the name cut and counted', async () => {
    const dir = newDir();
    const s = await serve(dir);
    const longWorkflow = `nightly-${'w'.repeat(100_000)}`;
    const q = request(1, { workflow: longWorkflow, user: `${'u'.repeat(600)}@example.com` });
    const records = await makeRecords([
      { body: 'claude_code.api_request', attributes: apiRequestAttributes(q), ts: q.ts },
      { body: 'claude_code.api_request', attributes: apiRequestAttributes(request(2)), ts: q.ts },
    ]);
    expect(await exportRecords(s.url, records, { protocol: 'json' })).toBe(true);
    await stop(s);
    expect(s.output()).toContain(
      '2 request events received in 1 batch; 2 names over 512 characters kept cut in received events: 1 user.email, 1 workflow.name',
    );
    const byWorkflow = await report(dir, 'workflow');
    expect(byWorkflow.totals.requests).toBe(2);
    const cut = byWorkflow.rows.find((r) => r.key.startsWith('nightly-w'));
    expect(cut?.key).toBe(`${longWorkflow.slice(0, 511)}…`);
    expect(cut?.requests).toBe(1);
    const json = JSON.parse((await cli(dir, ['status', '--json'])).stdout) as { telemetryCut?: unknown };
    expect(json.telemetryCut).toEqual({ 'user.email': 1, 'workflow.name': 1 });
    const text = (await cli(dir, ['status'])).stdout.replace(/\n\s+/g, ' ');
    expect(text).toMatch(
      /^Cut +2 names over 512 characters kept cut in received events: 1 user.email, 1 workflow.name \(each request kept, in every total\)$/m,
    );
  });

  it('takes OTLP/gRPC on the same port: the real gRPC exporter, gzip or not, a token, bad calls', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'token'), 's3cret-token\n');
    const s = await serve(dir, ['--token-file', path.join(dir, 'token')]);
    const token = 's3cret-token';
    const reqs = Array.from({ length: 6 }, (_, i) => request(i, { sessionId: 'sess-grpc' }));
    const plain = await makeRecords(sessionEvents(reqs.slice(0, 3), SECRET), { 'host.name': 'grpc-plain' });
    const gzip = await makeRecords(sessionEvents(reqs.slice(3), SECRET), { 'host.name': 'grpc-gzip' });
    expect(await exportRecords(s.url, plain, { protocol: 'grpc', token })).toBe(true);
    expect(await exportRecords(s.url, gzip, { protocol: 'grpc', token, gzip: true })).toBe(true);
    // A retry of the same batch changes nothing; a wrong or missing token gets nothing in.
    expect(await exportRecords(s.url, gzip, { protocol: 'grpc', token, gzip: true })).toBe(true);
    const other = await makeRecords(sessionEvents([request(50, { sessionId: 'sess-x' })], SECRET));
    expect(await exportRecords(s.url, other, { protocol: 'grpc', token: 'wrong' })).toBe(false);
    expect(await exportRecords(s.url, other, { protocol: 'grpc' })).toBe(false);
    // HTTP/1.1 senders still share the port.
    expect(await exportRecords(s.url, other, { protocol: 'protobuf', token })).toBe(true);

    // Calls a gRPC exporter would not make, each answered with its gRPC status.
    const session = connect(s.url);
    const call = (service: string, body: Buffer, extra: Record<string, string> = {}) =>
      new Promise<{ status: string | undefined; message: string | undefined; http: number | undefined }>(
        (resolve, reject) => {
          const st = session.request({
            ':method': 'POST',
            ':path': service,
            'content-type': 'application/grpc',
            te: 'trailers',
            authorization: `Bearer ${token}`,
            ...extra,
          });
          let http: number | undefined;
          st.on('response', (h) => (http = h[':status']));
          st.on('trailers', (t) =>
            resolve({ status: String(t['grpc-status']), message: t['grpc-message'] as string | undefined, http }),
          );
          st.on('error', reject);
          st.resume();
          st.end(body);
        },
      );
    const framed = (message: Buffer, flag = 0): Buffer => {
      const head = Buffer.alloc(5);
      head[0] = flag;
      head.writeUInt32BE(message.length, 1);
      return Buffer.concat([head, message]);
    };
    const logs = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
    expect(await call(logs, Buffer.from([0, 0, 0]))).toMatchObject({ status: '3', http: 200 });
    expect(await call(logs, framed(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01])))).toMatchObject({ status: '3' });
    expect(await call(logs, framed(Buffer.from('not gzip'), 1), { 'grpc-encoding': 'gzip' })).toMatchObject({
      status: '3',
    });
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    expect(await call(logs, framed(bomb, 1), { 'grpc-encoding': 'gzip' })).toMatchObject({ status: '8' });
    // A message one byte over the limit: refused, the limit said as it is set (its prefix aside).
    const over = await call(logs, framed(Buffer.alloc(16 * 1024 * 1024 + 1)));
    expect(over).toMatchObject({ status: '8' });
    expect(decodeURIComponent(over.message ?? '')).toBe(`the message is over the limit of ${16 * 1024 * 1024} bytes`);
    expect(await call(logs, framed(Buffer.alloc(0)), { authorization: 'Bearer nope' })).toMatchObject({ status: '16' });
    expect(await call('/some.Other/Method', framed(Buffer.alloc(0)))).toMatchObject({ status: '12' });
    expect(
      await call('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', framed(Buffer.alloc(0))),
    ).toMatchObject({
      status: '0',
    });
    session.close();
    // A sender's idle connection does not hold serve up at its stop: it is told to go away.
    const idle = connect(s.url);
    idle.on('error', () => {});
    await new Promise((resolve) => idle.once('remoteSettings', resolve));
    const away = new Promise<boolean>((resolve) => idle.once('goaway', () => resolve(true)));
    expect(await stop(s)).toBe(0);
    expect(await away).toBe(true);

    const r = await report(dir, 'host');
    expect(r.totals.requests).toBe(7);
    expect(r.rows.map((x) => [x.key, x.requests]).sort()).toEqual([
      ['(none)', 1],
      ['grpc-gzip', 3],
      ['grpc-plain', 3],
    ]);
    // The refusals are said where serve runs, gRPC's as HTTP's (a retried batch's events are known already).
    expect(s.output()).toMatch(
      /stopped on SIGTERM; 10 request events received in 4 batches \(7 new, 3 already known\); 9 HTTP requests refused\n/,
    );
    // An HTTP/2 sender's address is named as an HTTP/1.1 sender's is.
    expect(s.output()).toMatch(/with a missing or wrong token \(401, last from 127\.0\.0\.1\)/);
    for (const f of readdirSync(dir).filter((n) => n.startsWith('store.db'))) {
      expect(readFileSync(path.join(dir, f)).includes(SECRET), f).toBe(false);
    }
  }, 60_000);

  it('says when a sender and serve disagree about TLS, and takes HTTPS and gRPC over TLS with a trusted certificate', async () => {
    const tlsDir = path.join(path.dirname(cliPath), '..', 'fixtures', 'tls');
    const cert = path.join(tlsDir, 'cert.pem');
    const key = path.join(tlsDir, 'key.pem');
    const ca = readFileSync(cert);
    const records = await makeRecords(sessionEvents([request(1, { sessionId: 'sess-tls' })], SECRET));

    // A sender with https:// to serve without a certificate.
    const plainDir = newDir();
    const plain = await serve(plainDir);
    const httpsUrl = plain.url.replace('http://', 'https://');
    expect(await exportRecords(httpsUrl, records, { protocol: 'protobuf', timeoutMillis: 1500 })).toBe(false);
    expect(await stop(plain)).toBe(0);
    expect(plain.output()).toMatch(/1 with TLS on this plain-HTTP port; give senders http:\/\/ \(or start serve with/);

    // serve with a certificate: a sender that does not trust it, one that sends plain HTTP, then
    // HTTPS and gRPC over TLS with the certificate trusted.
    const dir = newDir();
    const s = await serve(dir, ['--tls-cert', cert, '--tls-key', key]);
    expect(s.url).toMatch(/^https:\/\//);
    // (The exporter retries a failed handshake until its time is up.)
    expect(await exportRecords(s.url, records, { protocol: 'protobuf', timeoutMillis: 1500 })).toBe(false);
    expect(await exportRecords(s.url, records, { protocol: 'protobuf', timeoutMillis: 1500, tls12: true })).toBe(false);
    expect(
      await exportRecords(s.url.replace('https://', 'http://'), records, { protocol: 'json', timeoutMillis: 1500 }),
    ).toBe(false);
    expect(await exportRecords(s.url, records, { protocol: 'protobuf', gzip: true, ca })).toBe(true);
    const other = await makeRecords(sessionEvents([request(2, { sessionId: 'sess-tls' })], SECRET));
    expect(await exportRecords(s.url, other, { protocol: 'grpc', ca })).toBe(true);
    expect(await stop(s)).toBe(0);
    // The last refusal line, said at the stop, has every cause and its fix.
    const said = s
      .output()
      .split('\n')
      .filter((l) => l.includes('refused so far'));
    expect(said.at(-1)).toMatch(/with a failed TLS handshake \(first the sender hung up\)/);
    expect(said.at(-1)).toMatch(/\d+ with plain HTTP on this HTTPS port/);
    expect(said.at(-1)).toMatch(/\d+ with a TLS connection closed before its first request/);
    expect(said.at(-1)).toMatch(
      /; give senders https:\/\/; a sender that does not trust this certificate needs its CA/,
    );
    expect(s.output()).toMatch(
      /stopped on SIGTERM; 2 request events received in 2 batches; \d+ HTTP requests? refused\n/,
    );
    expect((await report(dir)).totals.requests).toBe(2);
  }, 60_000);

  it('answers bad bodies with their status codes and keeps serving', async () => {
    const dir = newDir();
    const s = await serve(dir);
    const post = (body: Buffer | string, headers: Record<string, string>, p = '/v1/logs'): Promise<Response> =>
      fetch(`${s.url}${p}`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json' };
    const proto = { 'content-type': 'application/x-protobuf' };
    expect((await post('{"resourceLogs": [', json)).status).toBe(400);
    expect((await post('{"resourceLogs": 7}', json)).status).toBe(400);
    expect((await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), proto)).status).toBe(400);
    expect((await post('hello', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('{}', json, '/v2/anything')).status).toBe(404);
    expect((await post('{}', json, '/v1/metrics')).status).toBe(200);
    expect((await post('{}', json, '/v1/traces')).status).toBe(200);
    // 17 MiB of JSON, and a 40 MB gzip bomb of a few dozen kilobytes.
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    expect((await post(big, json)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    expect((await post(bomb, { ...json, 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await post(Buffer.from('not gzip at all'), { ...json, 'content-encoding': 'gzip' })).status).toBe(400);
    // A malformed record after a good one: the whole batch is refused, the good one not kept.
    const api = (attributes: object[]) => ({
      body: { stringValue: 'claude_code.api_request' },
      timeUnixNano: String(base * 1e6),
      attributes,
    });
    const good = api([
      { key: 'request_id', value: { stringValue: 'req_half_batch' } },
      { key: 'model', value: { stringValue: MODEL } },
      { key: 'input_tokens', value: { intValue: '10' } },
    ]);
    const keyless = api([{ key: 7, value: { stringValue: 'x' } }]); // a key that is not text
    const half = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [good, keyless] }] }] });
    expect((await post(half, json)).status).toBe(400);
    // A record with a bad token count is refused alone, counted in partialSuccess.
    const records = await makeRecords([
      { body: 'claude_code.api_request', attributes: apiRequestAttributes(request(1)), ts: base },
      {
        body: 'claude_code.api_request',
        attributes: { ...apiRequestAttributes(request(2)), input_tokens: 'lots' },
        ts: base,
      },
    ]);
    expect(await exportRecords(s.url, records, { protocol: 'json' })).toBe(true);
    const partial = await post(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { attributes: [{ key: 'event.name', value: { stringValue: 'api_request' } }] },
                  { attributes: [{ key: 'event.name', value: { stringValue: 'user_prompt' } }] },
                ],
              },
            ],
          },
        ],
      }),
      json,
    );
    expect(partial.status).toBe(200);
    expect(await partial.json()).toEqual({ partialSuccess: expect.objectContaining({ rejectedLogRecords: '1' }) });
    await stop(s);
    expect((await report(dir)).totals.requests).toBe(1);
  }, 60_000);

  it('goes on receiving when the reader of its output has gone (serve | head -1)', async () => {
    const dir = newDir();
    const s = await serve(dir);
    // The reading end of its stdout closes: its next line meets EPIPE.
    s.proc.stdout!.destroy();
    let exited = false;
    void s.exited.then(() => (exited = true));
    const first = await makeRecords(sessionEvents([request(1)], SECRET));
    expect(await exportRecords(s.url, first, { protocol: 'json' })).toBe(true);
    // Past the progress line that batch brings (said at once), and a refusal line too.
    expect(
      (await fetch(`${s.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }))
        .status,
    ).toBe(400);
    await new Promise((r) => setTimeout(r, 1500));
    const second = await makeRecords(sessionEvents([request(2)], SECRET));
    expect(await exportRecords(s.url, second, { protocol: 'protobuf' })).toBe(true);
    expect(exited).toBe(false);
    expect(await stop(s)).toBe(0);
    expect(s.output()).not.toMatch(/EPIPE|Unhandled/);
    expect((await report(dir)).totals.requests).toBe(2);
  });

  it('keeps every acknowledged batch through a kill -9, and stops cleanly on SIGTERM', async () => {
    const dir = newDir();
    let s = await serve(dir);
    const first = await makeRecords(sessionEvents([request(1), request(2)], SECRET));
    expect(await exportRecords(s.url, first, { protocol: 'protobuf' })).toBe(true);
    s.proc.kill('SIGKILL');
    await s.exited;
    s = await serve(dir);
    const second = await makeRecords(sessionEvents([request(3)], SECRET));
    expect(await exportRecords(s.url, second, { protocol: 'json' })).toBe(true);
    expect(await stop(s, 'SIGTERM')).toBe(0);
    expect(s.output()).toMatch(/stopped on SIGTERM/);
    const before = await report(dir, 'user');
    expect(before.totals.requests).toBe(3);
    // Telemetry cannot be read again from logs: a rebuild carries it over.
    expect((await cli(dir, ['ingest', '--rebuild'])).code).toBe(0);
    expect(await report(dir, 'user')).toEqual(before);
  });

  it('refuses --rebuild while serve has the store open, so no acknowledged event goes into a deleted file', async () => {
    const dir = newDir();
    const s = await serve(dir);
    expect(
      await exportRecords(s.url, await makeRecords(sessionEvents([request(1)], SECRET)), { protocol: 'json' }),
    ).toBe(true);
    const refused = await cli(dir, ['ingest', '--rebuild']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is open in another creditmeter process .*Nothing was deleted\./);
    // serve goes on storing into the same file, which every command reads.
    const later = await makeRecords(sessionEvents([request(2), request(3)], SECRET));
    expect(await exportRecords(s.url, later, { protocol: 'protobuf' })).toBe(true);
    expect((await report(dir)).totals.requests).toBe(3);
    await stop(s);
    // Once serve has stopped, the rebuild runs, and carries the three over.
    expect((await cli(dir, ['ingest', '--rebuild'])).code).toBe(0);
    expect((await report(dir)).totals.requests).toBe(3);
  }, 60_000);

  it('counts a request once when its transcript copy and its telemetry arrive, in either order, with or without request_id', async () => {
    const totals: Totals[] = [];
    const cases = ['telemetry-first', 'transcript-first'].flatMap((order) => [
      { order, keyless: false },
      { order, keyless: true },
    ]);
    for (const { order, keyless } of cases) {
      const dir = newDir();
      const q = request(5, { requestId: 'req_shared_1', sessionId: 'sess-shared', cacheCreation: 3000 });
      const transcript = transcriptLine(q, { w5: 1000, w1: 2000 });
      const file = path.join(dir, 'claude', 'projects', '-home-u-billing', 'sess-shared.jsonl');
      const s = await serve(dir);
      // An event without request_id (keyed by its session's counter) is the same request, told by
      // its session, model, token counts and time.
      const { requestId: _id, ...withoutId } = q;
      const records = await makeRecords(sessionEvents([keyless ? withoutId : q], SECRET));
      await transcriptAndTelemetry(order, { dir, url: s.url, file, transcript, records });
      await stop(s);
      const r = await report(dir, 'user');
      // One request: the transcript's 5-minute / 1-hour split, telemetry's attribution.
      expect(r.rows).toEqual([expect.objectContaining({ key: 'dev@example.com', requests: 1 })]);
      expect(r.totals.cacheWrite1hTokens).toBe(2000);
      expect(r.totals.cost).toBeCloseTo(
        sonnetCost({ input: q.input, output: q.output, cacheRead: 1000, w5: 1000, w1: 2000 }),
        9,
      );
      totals.push(r.totals);
    }
    for (const t of totals.slice(1)) expect(t).toEqual(totals[0]);
  }, 120_000);

  it("takes telemetry's output count when the transcript holds only a streaming copy of the request, in either order", async () => {
    for (const order of ['telemetry-first', 'transcript-first']) {
      const dir = newDir();
      const q = request(6, { requestId: 'req_streamed_1', sessionId: 'sess-streamed', cacheCreation: 3000 });
      // The copy written while the response streamed (its output count a placeholder); the final
      // one never reached the file (as in subagent files of older Claude Code versions).
      const transcript = transcriptLine({ ...q, output: 3 }, { w5: 1000, w1: 2000 });
      const file = path.join(dir, 'claude', 'projects', '-home-u-billing', 'sess-streamed.jsonl');
      const s = await serve(dir);
      const records = await makeRecords(sessionEvents([q], SECRET));
      await transcriptAndTelemetry(order, { dir, url: s.url, file, transcript, records });
      await stop(s);
      const r = await report(dir, 'user');
      expect(r.rows).toEqual([expect.objectContaining({ key: 'dev@example.com', requests: 1 })]);
      expect(r.totals.outputTokens).toBe(q.output);
      expect(r.totals.cacheWrite1hTokens).toBe(2000);
      expect(r.totals.cost).toBeCloseTo(
        sonnetCost({ input: q.input, output: q.output, cacheRead: 1000, w5: 1000, w1: 2000 }),
        9,
      );
      // A rebuild reads the transcript again and joins the kept event again: the same figures.
      const rebuilt = await cli(dir, ['ingest', '--rebuild']);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect((await report(dir, 'user')).totals).toEqual(r.totals);
    }
  }, 120_000);

  it('refuses to listen beyond loopback without a token (exit 2)', async () => {
    const dir = newDir();
    const r = await cli(dir, ['serve', '--listen', '0.0.0.0:0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/without a token/);
    const bad = await cli(dir, ['serve', '--listen', 'nowhere']);
    expect(bad.code).toBe(2);
  });
});

/**
 * A transcript line written into a running serve's logs and the events sent to it, in `order`,
 * each waited for until the store has it (the first through protobuf, the second through JSON).
 */
async function transcriptAndTelemetry(
  order: string,
  o: { dir: string; url: string; file: string; transcript: string; records: Awaited<ReturnType<typeof makeRecords>> },
): Promise<void> {
  const write = (): void => {
    mkdirSync(path.dirname(o.file), { recursive: true });
    writeFileSync(o.file, o.transcript);
  };
  if (order === 'transcript-first') {
    write();
    await waitFor(async () => (await report(o.dir)).totals.requests === 1);
    expect(await exportRecords(o.url, o.records, { protocol: 'protobuf' })).toBe(true);
  } else {
    expect(await exportRecords(o.url, o.records, { protocol: 'json' })).toBe(true);
    write();
    await waitFor(async () => (await report(o.dir, 'source')).rows.some((r) => r.key === 'transcript'));
  }
}

function transcriptLine(q: ApiRequest, split: { w5: number; w1: number }): string {
  return `${JSON.stringify({
    type: 'assistant',
    sessionId: q.sessionId,
    cwd: '/home/u/billing',
    version: '2.1.210',
    entrypoint: q.entrypoint,
    requestId: q.requestId,
    uuid: `u-${q.requestId}`,
    timestamp: new Date(q.ts).toISOString(),
    message: {
      id: `msg_${q.requestId}`,
      model: q.model,
      role: 'assistant',
      type: 'message',
      content: [{ type: 'text', text: 'answer' }],
      usage: {
        input_tokens: q.input,
        output_tokens: q.output,
        cache_read_input_tokens: q.cacheRead,
        cache_creation_input_tokens: split.w5 + split.w1,
        cache_creation: { ephemeral_5m_input_tokens: split.w5, ephemeral_1h_input_tokens: split.w1 },
      },
    },
  })}\n`;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting');
}
