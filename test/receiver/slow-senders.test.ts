/**
 * Senders that stall or hang up must not take the receiver's turns for good: a real receiver on a
 * loopback port, raw sockets for the stalled uploads, and the official OTLP exporters (HTTP and
 * gRPC) as the senders that must still get through.
 */
import http2 from 'node:http2';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs/light.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type RequestReport } from '../../src/receiver/server.js';
import type { OtelLogRecord } from '../../src/domain/telemetry.js';
import { apiRequestAttributes, exportRecords, makeRecords } from '../helpers/otel-client.js';

const GRPC_LOGS_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let receiver: Receiver | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await receiver?.close();
  receiver = null;
});

/**
 * A receiver with 2 turns (or `concurrentBodies`), counting the records it is handed and every
 * request's status; `storeMs` holds the thread for that long per batch, as storing a large one does.
 */
async function start(
  timing?: { idleMs: number; totalMs: number },
  turnWaitMs?: number,
  maxBodyBytes = 1024 * 1024,
  { concurrentBodies = 2, storeMs = 0 } = {},
) {
  const taken: OtelLogRecord[] = [];
  const reports: RequestReport[] = [];
  receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    token: null,
    tls: null,
    maxBodyBytes,
    concurrentBodies,
    ...(timing ? { bodyTiming: timing } : {}),
    ...(turnWaitMs ? { turnWaitMs, grpcTurnWaitMs: turnWaitMs } : {}),
    accept(records) {
      let n = 0;
      for (const r of records) {
        taken.push(r);
        n++;
      }
      const until = performance.now() + storeMs;
      while (performance.now() < until);
      return { records: n, rejected: 0, message: '' };
    },
    onRequest: (r) => reports.push(r),
  });
  return { url: receiver.url, port: receiver.port, taken, reports };
}

/** The largest body the test receiver takes: a sender that declares it claims a whole turn. */
const LARGEST = 1024 * 1024;

/** Headers of a POST declaring a body of `length` bytes, and its first 17 bytes: a sender that stalls. */
function stalledUpload(port: number, length = LARGEST, encoding = 'identity'): Promise<Socket> {
  // A gzip body stalls after its 10-byte header (the rest never comes).
  const first = encoding === 'gzip' ? gzipSync('{"resourceLogs":[]}').subarray(0, 10) : '{"resourceLogs":';
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(
        `POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${length}\r\n\r\n`,
      );
      s.write(first);
      resolve(s);
    });
    s.on('error', () => {});
    sockets.push(s);
  });
}

/** A chunked POST (no Content-Length) that sends its first chunk and stalls. */
function stalledChunked(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(
        'POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n',
      );
      resolve(s);
    });
    s.on('error', () => {});
    sockets.push(s);
  });
}

/** A plain OTLP/JSON POST of `body`, answered as fetch reads it. */
const postJson = (url: string, body: string): Promise<Response> =>
  fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const records = () => {
  const ts = Date.now() - 60_000;
  return makeRecords([
    {
      body: 'claude_code.api_request',
      attributes: apiRequestAttributes({ sessionId: 's-1', model: 'claude-sonnet-4-6', input: 5, output: 7, ts }),
      ts,
    },
  ]);
};

describe('senders that stall or hang up', () => {
  it('gives back the turn of a sender that hung up while it waited, so later senders still get through', async () => {
    const r = await start();
    // Two stalled uploads hold both turns; two more queue behind them, then hang up, as an
    // exporter does when its answer takes longer than its timeout.
    const stalled = [await stalledUpload(r.port), await stalledUpload(r.port)];
    const queued = [await stalledUpload(r.port), await stalledUpload(r.port)];
    await sleep(100);
    for (const s of queued) s.destroy();
    await sleep(50);
    for (const s of stalled) s.destroy();
    await sleep(100);
    expect(await exportRecords(r.url, await records(), { protocol: 'json', timeoutMillis: 3000 })).toBe(true);
    expect(await exportRecords(r.url, await records(), { protocol: 'grpc', timeoutMillis: 3000 })).toBe(true);
    expect(r.taken).toHaveLength(2);
    // Each hang-up is counted as one (499), not as a body that is not OTLP.
    expect(r.reports.filter((x) => x.status === 499)).toHaveLength(4);
    expect(r.reports.filter((x) => x.status === 400)).toHaveLength(0);
  });

  it('ends the read of a body that stops coming (408), so stalled uploads cannot hold the turns', async () => {
    const r = await start({ idleMs: 300, totalMs: 2000 });
    const stalled = [await stalledUpload(r.port), await stalledUpload(r.port)];
    const answers = stalled.map(
      (s) =>
        new Promise<string>((resolve) => {
          let text = '';
          s.on('data', (d) => (text += String(d)));
          s.on('close', () => resolve(text));
        }),
    );
    // Both turns are held by now; the exporter waits its turn and gets it when they time out.
    expect(await exportRecords(r.url, await records(), { protocol: 'protobuf', timeoutMillis: 3000 })).toBe(true);
    for (const a of await Promise.all(answers)) {
      expect(a).toMatch(/^HTTP\/1\.1 408 /);
      expect(a).toContain('the body came too slowly');
    }
    expect(r.taken).toHaveLength(1);
    expect(r.reports.filter((x) => x.status === 408)).toHaveLength(2);
  });

  it('ends a body that trickles in past the whole read time, however steady', async () => {
    const r = await start({ idleMs: 300, totalMs: 800 });
    const s = await stalledUpload(r.port);
    let text = '';
    s.on('data', (d) => (text += String(d)));
    const drip = setInterval(() => s.write(' '), 100);
    await sleep(1200);
    clearInterval(drip);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('turns', () => {
  it('are not held by stalled uploads of small bodies: a dozen of them leave the exporters a turn at once', async () => {
    const r = await start();
    for (let i = 0; i < 12; i++) await stalledUpload(r.port, 1000);
    await sleep(100);
    // The exporters give up after 3 s: behind the stalled uploads' turns they would.
    expect(await exportRecords(r.url, await records(), { protocol: 'json', timeoutMillis: 3000 })).toBe(true);
    expect(await exportRecords(r.url, await records(), { protocol: 'grpc', timeoutMillis: 3000 })).toBe(true);
    expect(r.taken).toHaveLength(2);
  });

  it('are waited for a few seconds at most: then 429 with Retry-After (UNAVAILABLE over gRPC), which exporters retry', async () => {
    const r = await start({ idleMs: 5000, totalMs: 10_000 }, 300);
    await stalledUpload(r.port);
    await stalledUpload(r.port);
    await sleep(100);
    // Both turns are claimed whole (10 bytes of the budget are left): this body waits, then 429.
    const http = await postJson(r.url, '{"resourceLogs":[]}');
    expect(http.status).toBe(429);
    expect(http.headers.get('retry-after')).toBe('1');
    expect(((await http.json()) as { message: string }).message).toMatch(/waited too long for a turn/);
    const session = http2.connect(r.url);
    session.on('error', () => {});
    const grpcStatus = await new Promise<string>((resolve) => {
      const s = session.request({ ':method': 'POST', ':path': GRPC_LOGS_PATH, 'content-type': 'application/grpc' });
      s.on('error', () => {});
      s.on('trailers', (t) => resolve(String(t['grpc-status'])));
      s.on('response', (h) => h['grpc-status'] !== undefined && resolve(String(h['grpc-status'])));
      s.end(Buffer.from([0, 0, 0, 0, 0]));
      s.resume();
    });
    expect(grpcStatus).toBe('14');
    session.close();
    expect(r.reports.filter((x) => x.status === 429)).toHaveLength(2);
    expect(r.taken).toHaveLength(0);
  });
  it('are not held by stalled chunked uploads (no Content-Length, as the official exporters send)', async () => {
    const r = await start(undefined, undefined, 16 * 1024 * 1024);
    for (let i = 0; i < 6; i++) await stalledChunked(r.port);
    await sleep(100);
    // The exporters give up after 3 s: behind the stalled uploads' turns they would.
    expect(await exportRecords(r.url, await records(), { protocol: 'protobuf', timeoutMillis: 3000 })).toBe(true);
    expect(await exportRecords(r.url, await records(), { protocol: 'grpc', timeoutMillis: 3000 })).toBe(true);
    expect(r.taken).toHaveLength(2);
  });

  it('make a body that outgrows its first claim wait for room, then 429 when none comes', async () => {
    const MiB = 1024 * 1024;
    // A budget of 8 MiB (2 x 4 MiB); two stalled uploads hold 6 MiB of it.
    const r = await start({ idleMs: 5000, totalMs: 10_000 }, 300, 4 * MiB);
    await stalledUpload(r.port, 3 * MiB);
    await stalledUpload(r.port, 3 * MiB);
    await sleep(100);
    // A chunked body claims 1 MiB at first (7 MiB held); past it, it needs room up to the limit
    // (4 MiB: 10 MiB held): it waits, none comes, and it is answered 429.
    const big = `{"resourceLogs":[],"pad":"${'x'.repeat(2 * MiB)}"}`;
    const answer = await new Promise<string>((resolve) => {
      const s = connect(r.port, '127.0.0.1', () => {
        s.write(
          'POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        s.write(`${Buffer.byteLength(big).toString(16)}\r\n${big}\r\n0\r\n\r\n`);
      });
      let text = '';
      s.on('data', (d) => {
        text += String(d);
        if (text.includes('\r\n\r\n')) s.destroy();
      });
      s.on('close', () => resolve(text));
      s.on('error', () => {});
      sockets.push(s);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 429 /);
    expect(answer).toMatch(/retry-after: 1/i);
    // A small body still fits beside them.
    const small = await postJson(r.url, '{"resourceLogs":[]}');
    expect(small.status).toBe(200);
  });
});

describe('a turn whose wait ran out while a batch was being stored', () => {
  it('is answered 429, as its timer would have, not given the turn past its time', async () => {
    // Storing a batch holds the thread longer than the wait: the waiting request's timer cannot fire.
    const { port, reports } = await start(undefined, 200, LARGEST, { concurrentBodies: 1, storeMs: 500 });
    // A holds the whole budget while its body comes; B (small) waits at the gate behind it.
    const a = await stalledUpload(port);
    const b = connect(port, '127.0.0.1');
    sockets.push(b);
    const answer = new Promise<string>((resolve) => {
      let text = '';
      b.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.includes('\r\n\r\n')) resolve(text.split('\r\n')[0]!);
      });
    });
    const small = '{"resourceLogs":[]}';
    b.write(
      `POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${small.length}\r\n\r\n${small}`,
    );
    await sleep(50);
    // The rest of A's body: its batch is stored (500 ms) while B's 200 ms run out.
    const head = '{"resourceLogs":';
    a.write(`[],"pad":"${'x'.repeat(LARGEST - head.length - 22)}"}`.padEnd(LARGEST - head.length, ' '));
    expect(await answer).toBe('HTTP/1.1 429 Too Many Requests');
    expect(reports.map((r) => r.status).sort()).toEqual([200, 429]);
  });
});

describe('senders over HTTP/2', () => {
  it('give back the turn of a stream reset while it waited, at once, and count a reset mid-body as a hang-up', async () => {
    const r = await start({ idleMs: 5000, totalMs: 10_000 });
    const session = http2.connect(r.url);
    session.on('error', () => {});
    const post = (headers: Record<string, string> = {}) => {
      const s = session.request({
        ':method': 'POST',
        ':path': '/v1/logs',
        'content-type': 'application/json',
        ...headers,
      });
      s.on('error', () => {});
      return s;
    };
    // Two stalled streams that declare the largest body hold both turns; a third sends its whole
    // body and is reset while queued.
    const largest = { 'content-length': String(LARGEST) };
    const stalled = [post(largest), post(largest)];
    for (const s of stalled) s.write('{"resourceLogs":');
    await sleep(100);
    const queued = post();
    queued.end('{"resourceLogs":[]}');
    await sleep(100);
    queued.close(http2.constants.NGHTTP2_CANCEL);
    // The stalled ones hang up mid-body: their turns and the queued one's come back at once.
    for (const s of stalled) s.close(http2.constants.NGHTTP2_CANCEL);
    await sleep(100);
    const t0 = Date.now();
    const answered = await new Promise<number>((resolve) => {
      const s = post();
      s.on('response', (h) => resolve(Number(h[':status'])));
      s.end('{"resourceLogs":[]}');
      s.resume();
    });
    expect(answered).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.reports.filter((x) => x.status === 499)).toHaveLength(3);
    expect(r.reports.filter((x) => x.status === 400 || x.status === 408)).toHaveLength(0);
    session.close();
  });
});

describe('error answers', () => {
  it("come in the request's own encoding: a google.rpc.Status for protobuf, JSON for JSON", async () => {
    const r = await start();
    const proto = await fetch(`${r.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from('garbage that is no protobuf message'),
    });
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    // Status { code = 3 (INVALID_ARGUMENT); message }, read back as protobufjs reads any message.
    const Status = protobuf.Root.fromJSON({
      nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } },
    }).lookupType('Status');
    const status = Status.toObject(Status.decode(Buffer.from(await proto.arrayBuffer()))) as {
      code: number;
      message: string;
    };
    expect(status.code).toBe(3);
    expect(status.message.length).toBeGreaterThan(10);
    const json = await postJson(r.url, '{not json');
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(((await json.json()) as { message: string }).message.length).toBeGreaterThan(10);
  });

  it('tell a JSON body cut off entirely (empty) from an empty protobuf request, which is one', async () => {
    const r = await start();
    const json = await postJson(r.url, '');
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message: string }).message).toMatch(
      /not a valid OTLP JSON body \(the body is empty\)/,
    );
    const proto = await fetch(`${r.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.alloc(0),
    });
    expect(proto.status).toBe(200);
  });
});
