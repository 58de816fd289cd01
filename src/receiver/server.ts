/**
 * The OTLP/HTTP receiver: `POST /v1/logs` (protobuf or JSON, gzip or not) decoded, handed to
 * `accept` (which commits to the store) and only then answered, so an acknowledged event is never
 * lost. `/v1/metrics` and `/v1/traces` are answered and stored nowhere. Bad input is answered with
 * its status code and counted; the server keeps serving. Bodies are read a few at a time, so a
 * flood of senders waits in the kernel's buffers, not in memory.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { BodyError, drain, readBody } from './body.js';
import { BadBodyError, decodeLogs, encodeResponse, type BodyFormat } from './otlp-decode.js';
import type { OtelLogRecord } from '../domain/telemetry.js';

/** What the store made of one batch. Throwing `BusyError` answers 503 (the exporter retries). */
export interface AcceptResult {
  /** Billable records refused (bad fields), reported in `partialSuccess`. */
  rejected: number;
  message: string;
}

/** The store could not take the batch now (locked, disk full): answered 503, the exporter retries. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

/** Outcome of one HTTP request, for counters and logs. */
export interface RequestReport {
  path: string;
  status: number;
  records: number;
  rejected: number;
  reason: string | null;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  /** Bearer token every request must carry; null = no authentication (loopback only). */
  token: string | null;
  tls: { cert: Buffer; key: Buffer } | null;
  /** Limit of a body, before and after decompression. */
  maxBodyBytes: number;
  /** Bodies read at once; further requests wait their turn. */
  concurrentBodies?: number;
  /** Requests waiting for a turn beyond which the answer is 429 (retry later). */
  maxWaiting?: number;
  accept(records: OtelLogRecord[]): AcceptResult;
  onRequest?(report: RequestReport): void;
}

export interface Receiver {
  /** The base URL to give OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const PATHS = new Set(['/v1/logs', '/v1/metrics', '/v1/traces']);

/** Starts listening; resolves once connections are accepted. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const gate = new Gate(options.concurrentBodies ?? 4, options.maxWaiting ?? 256);
  const tokenHash = options.token === null ? null : digest(options.token);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res, options, gate, tokenHash).catch(() => {
      if (!res.headersSent) send(res, 500, 'json', Buffer.from('{"message":"internal error"}'));
    });
  };
  const server: Server = options.tls ? createHttps({ ...options.tls }, handler) : createHttp(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A client that keeps a connection open without sending: cut after a grace period.
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ReceiverOptions,
  gate: Gate,
  tokenHash: Buffer | null,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const format = formatOf(req.headers['content-type']);
  const reply = (status: number, reason: string | null, body?: Buffer, records = 0, rejected = 0): void => {
    const out = body ?? Buffer.from(JSON.stringify(reason ? { message: reason } : {}));
    send(res, status, body ? (format ?? 'json') : 'json', out);
    drain(req);
    options.onRequest?.({ path, status, records, rejected, reason });
  };
  if (!PATHS.has(path)) return reply(404, `no such path: ${path.slice(0, 80)}`);
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return reply(405, 'use POST');
  }
  if (tokenHash !== null && !authorized(req.headers.authorization, tokenHash)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return reply(401, 'missing or wrong bearer token');
  }
  if (format === null) return reply(415, 'use application/x-protobuf or application/json');
  if (!gate.tryEnter()) {
    res.setHeader('Retry-After', '1');
    return reply(429, 'too many requests at once; retry later');
  }
  let body: Buffer;
  try {
    await gate.turn();
    body = await readBody(req, options.maxBodyBytes);
  } catch (err) {
    gate.leave();
    if (err instanceof BodyError) return reply(err.status, err.message);
    return reply(400, 'the body could not be read');
  }
  try {
    if (path !== '/v1/logs') return reply(200, null, encodeResponse(format, 0, ''));
    let records: OtelLogRecord[];
    try {
      records = decodeLogs(body, format);
    } catch (err) {
      if (err instanceof BadBodyError) return reply(400, err.message);
      throw err;
    }
    body = Buffer.alloc(0);
    let result: AcceptResult;
    try {
      result = options.accept(records);
    } catch (err) {
      if (err instanceof UnavailableError) {
        res.setHeader('Retry-After', '1');
        return reply(503, err.message, undefined, records.length);
      }
      throw err;
    }
    reply(200, null, encodeResponse(format, result.rejected, result.message), records.length, result.rejected);
  } finally {
    gate.leave();
  }
}

function send(res: ServerResponse, status: number, format: BodyFormat, body: Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', format === 'json' ? 'application/json' : 'application/x-protobuf');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

function formatOf(header: string | undefined): BodyFormat | null {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares the bearer token in constant time (both sides hashed to one length first). */
function authorized(header: string | undefined, tokenHash: Buffer): boolean {
  const m = /^Bearer[ ]+(.+)$/i.exec((header ?? '').trim());
  const given = digest(m?.[1]?.trim() ?? '');
  return timingSafeEqual(given, tokenHash) && m !== null;
}

/** At most `slots` bodies read at once, at most `waiting` requests queued for a turn. */
class Gate {
  private active = 0;
  private queued = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(
    private readonly slots: number,
    private readonly waiting: number,
  ) {}

  /** Admits a request to the queue (false: the queue is full). */
  tryEnter(): boolean {
    if (this.queued >= this.slots + this.waiting) return false;
    this.queued++;
    return true;
  }

  turn(): Promise<void> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  leave(): void {
    this.queued--;
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}
