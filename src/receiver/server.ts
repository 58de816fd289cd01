/**
 * The OTLP receiver: `POST /v1/logs` (protobuf or JSON, gzip or not) decoded, handed to `accept`
 * (which commits to the store) and only then answered, so an acknowledged event is never lost.
 * `/v1/metrics` and `/v1/traces` are answered and stored nowhere. The same port takes OTLP/gRPC
 * (grpc.ts): HTTP/2 connections go to an HTTP/2 server, HTTP/1.1 ones to the HTTP server. Bad
 * input is answered with its status code and counted; the server keeps serving. Bodies are read
 * within a budget of bytes (each claims its declared length, or FIRST_CLAIM when it declares none
 * or comes compressed, and grows up to the limit as it is read), so a flood of senders waits in the
 * kernel's buffers, not in memory.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BodyError, drain, NO_ROOM, readBody, type BodyClaim, type BodyTiming } from './body.js';
import {
  BadFrameError,
  frame,
  unframe,
  GRPC_IGNORED,
  GRPC_LOGS,
  grpcMessage,
  GrpcStatus,
  isGrpcType,
  sniffFirstBytes,
  type GrpcCode,
} from './grpc.js';
import { BadBodyError, encodeResponse, logRecordsOf, type BodyFormat } from './otlp-decode.js';
import type { OtelLogRecord } from '../domain/telemetry.js';

/** What the store made of one batch. Throwing `BusyError` answers 503 (the exporter retries). */
export interface AcceptResult {
  /** Log records taken, of every event. */
  records: number;
  /** Billable records refused (bad fields), reported in `partialSuccess`. */
  rejected: number;
  message: string;
}

/** The store could not take the batch now (locked, disk full): answered 503, the exporter retries. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

/**
 * Connections refused before any HTTP request could be read, reported with these in place of an
 * HTTP status: TLS sent to a plain-HTTP port; plain HTTP sent to an HTTPS port; another TLS
 * handshake that failed (most often a sender that does not trust the certificate); a TLS connection
 * closed before its first request (what Node's HTTPS client does over TLS 1.2 when it does not
 * trust the certificate).
 */
export const NOT_HTTP = { tlsOnPlainPort: -1, plainOnTlsPort: -2, handshakeFailed: -3, closedUnused: -4 } as const;

/** Outcome of one HTTP request (or of a connection refused before one, see NOT_HTTP), for counters and logs. */
export interface RequestReport {
  path: string;
  status: number;
  records: number;
  rejected: number;
  reason: string | null;
  /** The sender's address, where the connection still has it. */
  from?: string;
  /**
   * A request to a path other than the logs' that an OTLP exporter sent (a POST to a path ending in
   * /v1/logs or from an OpenTelemetry exporter, a gRPC call to another OTLP service): a sender set
   * up with the wrong endpoint, not a health probe or a scanner.
   */
  misdirected?: boolean;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  /** Bearer token every request must carry; null = no authentication (loopback only). */
  token: string | null;
  tls: { cert: Buffer; key: Buffer } | null;
  /** Limit of a body, before and after decompression. */
  maxBodyBytes: number;
  /**
   * Bodies of the largest size read at once: the bytes bodies may claim together are this many
   * times `maxBodyBytes`. A body claims its declared length (or the limit when it declares none),
   * so many small ones are read at once, and a few stalled ones hold little. Further requests wait.
   */
  concurrentBodies?: number;
  /** Requests waiting for a turn beyond which the answer is 429 (retry later). */
  maxWaiting?: number;
  /** How long an OTLP/HTTP request may wait for its turn or room before it is answered 429. */
  turnWaitMs?: number;
  /** The same for a gRPC call (answered UNAVAILABLE, which the official exporter does not retry). */
  grpcTurnWaitMs?: number;
  /** How slow a body may come before its read ends (408); body.ts BODY_TIMING by default. */
  bodyTiming?: BodyTiming;
  /** Takes a batch's records as they are decoded; BadBodyError from them means nothing was stored. */
  accept(records: Iterable<OtelLogRecord>): AcceptResult;
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
  const gate = new Gate((options.concurrentBodies ?? 4) * (options.maxBodyBytes + 5), options.maxWaiting ?? 256);
  const tokenHash = options.token === null ? null : digest(options.token);
  // Connections that carried a request: a TLS one closed without one was refused by its sender.
  const served = new WeakSet<object>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    served.add(req.socket);
    handle(req, res, options, gate, tokenHash).catch(() => {
      if (!res.headersSent) send(res, 500, 'json', Buffer.from('{"message":"internal error"}'));
    });
  };
  // ALPN offers HTTP/2 first: gRPC senders need it, HTTP/1.1 senders pick their own.
  const server: Server = options.tls
    ? createHttps({ ...options.tls, ALPNProtocols: ['h2', 'http/1.1'] }, handler)
    : createHttp(handler);
  server.keepAliveTimeout = 30_000;
  const http2 = createHttp2({}, (req, res) => {
    if (isGrpcType(req.headers['content-type'])) {
      handleGrpc(req, res, options, gate, tokenHash).catch(() => {
        if (!res.headersSent) grpcEnd(res, GrpcStatus.INTERNAL, 'internal error');
      });
      // OTLP/HTTP over HTTP/2 (a sender that negotiated it): the compatibility API's request and
      // response have what `handle` uses of HTTP/1.1's.
    } else handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
  // A sender's idle HTTP/2 connection is closed after two minutes, as HTTP/1.1's are after 30 s
  // (an exporter opens a new one at its next batch).
  http2.setTimeout(120_000);
  const refuse = (status: number, reason: string): void =>
    options.onRequest?.({ path: '', status, records: 0, rejected: 0, reason });
  const routing = routeHttp2(server, http2, options.tls !== null, refuse, served);
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
        routing.close();
        // A client that keeps a connection open without sending: cut after a grace period.
        setTimeout(() => {
          server.closeAllConnections();
          routing.destroy();
        }, 10_000).unref();
      }),
  };
}

/**
 * Takes over the server's connections: each goes to HTTP/2 (by its preface, or by ALPN on TLS) or
 * to the server's own HTTP/1.1 handling (the listener Node's HTTP server put on the event). `close`
 * lets HTTP/2 calls in flight finish, ends the sessions and drops connections that never said which
 * they are; `destroy` cuts the sessions still open.
 */
function routeHttp2(
  server: Server,
  http2: Http2Server,
  tls: boolean,
  refuse: (status: number, reason: string) => void,
  served: WeakSet<object>,
): { close(): void; destroy(): void } {
  const event = tls ? 'secureConnection' : 'connection';
  const http1 = server.listeners(event)[0] as ((socket: Socket) => void) | undefined;
  if (http1 === undefined) throw new Error(`the HTTP server has no '${event}' listener to route from`);
  server.removeListener(event, http1);
  const sessions = new Set<Http2Session>();
  const undecided = new Set<Socket>();
  // The address of the socket handed over last: its session comes at once, within the hand-over.
  let handedFrom: string | undefined;
  const handOver = (socket: Socket): void => {
    handedFrom = socket.remoteAddress;
    try {
      http2.emit('connection', socket);
    } finally {
      handedFrom = undefined;
    }
  };
  http2.on('session', (session: Http2Session) => {
    if (handedFrom !== undefined) sessionSenders.set(session, handedFrom);
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  // A sender's failed handshake is its loss: say so. A connection closed before saying anything
  // (a port check, a load balancer's probe) is not one.
  if (tls)
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
      if (err.code === 'ERR_SSL_HTTP_REQUEST') return refuse(NOT_HTTP.plainOnTlsPort, 'plain HTTP on an HTTPS port');
      if (err.code !== 'ECONNRESET') return refuse(NOT_HTTP.handshakeFailed, err.code ?? err.message);
      // Hung up mid-handshake: Node's HTTPS client does so when it does not trust the certificate
      // (it sent its hello first); a port check that connects and closes sent nothing.
      const raw = (socket as unknown as { _parent?: { bytesRead?: number } })._parent;
      if ((raw?.bytesRead ?? 0) > 0) refuse(NOT_HTTP.handshakeFailed, 'the sender hung up');
    });
  server.on(event, (socket: Socket) => {
    if (tls) {
      if ((socket as TLSSocket).alpnProtocol === 'h2') {
        handOver(socket);
        return;
      }
      // Over TLS 1.2, Node's HTTPS client (the OpenTelemetry JS exporters) ends the handshake, then
      // closes a connection whose certificate it does not trust: the error is on its side only.
      // (Over TLS 1.3 it hangs up mid-handshake: tlsClientError above.)
      socket.once('close', () => {
        if (!served.has(socket)) refuse(NOT_HTTP.closedUnused, 'closed before its first request');
      });
      http1.call(server, socket);
      return;
    }
    undecided.add(socket);
    sniffFirstBytes(socket, (kind) => {
      undecided.delete(socket);
      if (kind === 'tls') {
        socket.destroy();
        refuse(NOT_HTTP.tlsOnPlainPort, 'a TLS handshake on a plain-HTTP port');
        return;
      }
      if (kind === 'http1') {
        http1.call(server, socket);
        return;
      }
      // The preface was read, and put back, in JavaScript: HTTP/2 must read the socket as a
      // stream, not straight from its handle (which would start after the preface).
      const handle = (socket as unknown as { _handle?: { isStreamBase?: boolean } })._handle;
      if (handle) handle.isStreamBase = false;
      handOver(socket);
    });
    socket.once('close', () => undecided.delete(socket));
  });
  return {
    close: () => {
      for (const s of sessions) s.close();
      for (const s of undecided) s.destroy();
    },
    destroy: () => {
      for (const s of sessions) s.destroy();
    },
  };
}

/**
 * The sender's address of each HTTP/2 session, read from its socket before the session takes it:
 * the socket a session's requests show has no address (the receiver reads it as a stream, see
 * routeHttp2).
 */
const sessionSenders = new WeakMap<Http2Session, string>();

/**
 * Whether a request to a path that is not the logs' came from an OTLP sender: a POST to a path
 * ending as the logs' does (an endpoint given /v1/logs already), or from an OpenTelemetry exporter
 * by its User-Agent (a logs endpoint given without its path). Not a scanner's or a health probe's.
 */
function otlpSender(req: IncomingMessage, path: string): boolean {
  return (
    req.method === 'POST' &&
    (/\/v1\/logs\/?$/.test(path) || /\botel|opentelemetry/i.test(req.headers['user-agent'] ?? ''))
  );
}

/** The sending machine's address (an IPv4 address as itself, not `::ffff:`-mapped), if known. */
function senderOf(req: IncomingMessage): { from?: string } {
  const session = (req as unknown as { stream?: { session?: Http2Session } }).stream?.session;
  const address = (session && sessionSenders.get(session)) ?? req.socket?.remoteAddress;
  return address ? { from: address.replace(/^::ffff:(?=\d+\.)/, '') } : {};
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ReceiverOptions,
  gate: Gate,
  tokenHash: Buffer | null,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const sender = senderOf(req);
  const format = formatOf(req.headers['content-type']);
  const reply = (status: number, reason: string | null, body?: Buffer, records = 0, rejected = 0): void => {
    // An error answers in the request's own encoding (OTLP/HTTP): a google.rpc.Status for protobuf.
    if (body === undefined && format === 'protobuf')
      send(res, status, 'protobuf', rpcStatus(grpcCodeOfHttp(status), reason ?? ''));
    else
      send(
        res,
        status,
        body ? (format ?? 'json') : 'json',
        body ?? Buffer.from(JSON.stringify(reason ? { message: reason } : {})),
      );
    drain(req);
    const misdirected = status === 404 && otlpSender(req, path);
    options.onRequest?.({
      path,
      status,
      records,
      rejected,
      reason,
      ...sender,
      ...(misdirected ? { misdirected } : {}),
    });
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
  const turn = await bodyInTurn(
    gate,
    req,
    options.maxBodyBytes,
    options.bodyTiming,
    options.turnWaitMs ?? TURN_WAIT_MS,
  );
  if (typeof turn === 'string' || (turn instanceof BodyError && turn.status === 429)) {
    res.setHeader('Retry-After', '1');
    return reply(429, typeof turn === 'string' ? turn : turn.message);
  }
  const body = turn instanceof BodyError ? turn : turn.body;
  if (body instanceof BodyError) {
    // Too slow: answered, then the connection is closed rather than read on.
    // (HTTP/1.1 only: over HTTP/2 the stream ends with its answer, and the header does not exist.)
    if (body.status === 408 && req.httpVersionMajor === 1) {
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
    }
    return reply(body.status, body.message);
  }
  try {
    if (path !== '/v1/logs') return reply(200, null, encodeResponse(format, 0, ''));
    const taken = take(body, format, options);
    if (taken.kind === 'bad') return reply(400, taken.message);
    if (taken.kind === 'busy') {
      res.setHeader('Retry-After', '1');
      return reply(503, taken.message);
    }
    const { records, rejected, message } = taken.result;
    reply(200, null, encodeResponse(format, rejected, message), records, rejected);
  } finally {
    (turn as Turn).leave();
  }
}

/** One OTLP/gRPC call: the same checks and the same store as `handle`, answered in gRPC's terms. */
async function handleGrpc(
  req: Http2ServerRequest,
  res: Http2ServerResponse,
  options: ReceiverOptions,
  gate: Gate,
  tokenHash: Buffer | null,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const stream = req as unknown as IncomingMessage;
  const sender = senderOf(stream);
  const reply = (
    code: GrpcCode,
    status: number,
    reason: string | null,
    message?: Buffer,
    records = 0,
    rejected = 0,
  ): void => {
    grpcEnd(res, code, reason ?? '', message);
    drain(stream);
    // An OTLP service this receiver has not (not a health check's or a reflection call's).
    const misdirected = status === 404 && path.startsWith('/opentelemetry.proto.collector.');
    options.onRequest?.({
      path,
      status,
      records,
      rejected,
      reason,
      ...sender,
      ...(misdirected ? { misdirected } : {}),
    });
  };
  const logs = path === GRPC_LOGS;
  if (!logs && !GRPC_IGNORED.has(path))
    return reply(GrpcStatus.UNIMPLEMENTED, 404, `no such service: ${path.slice(0, 80)}`);
  if (tokenHash !== null && !authorized(req.headers.authorization, tokenHash))
    return reply(GrpcStatus.UNAUTHENTICATED, 401, 'missing or wrong bearer token');
  // The limit is the message's; its 5-byte prefix comes on top.
  const turn = await bodyInTurn(
    gate,
    stream,
    options.maxBodyBytes + 5,
    options.bodyTiming,
    options.grpcTurnWaitMs ?? GRPC_TURN_WAIT_MS,
    false,
  );
  if (typeof turn === 'string') return reply(GrpcStatus.UNAVAILABLE, 429, turn);
  const body = turn instanceof BodyError ? turn : turn.body;
  if (body instanceof BodyError) {
    // Said of the message, as the limit is set: its 5-byte prefix aside.
    const said = body.status === 413 ? `the message is over the limit of ${options.maxBodyBytes} bytes` : body.message;
    return reply(GRPC_OF_BODY_ERROR[body.status] ?? GrpcStatus.INVALID_ARGUMENT, body.status, said);
  }
  try {
    // A compressed message may grow to the limit once inflated: room for it first.
    const encoding = String(req.headers['grpc-encoding'] ?? 'identity');
    if (encoding !== 'identity' && !(await (turn as Turn).grow(options.maxBodyBytes + 5)))
      return reply(GrpcStatus.UNAVAILABLE, 429, NO_ROOM);
    let message: Buffer;
    try {
      message = unframe(body, encoding, options.maxBodyBytes);
    } catch (err) {
      if (err instanceof BadFrameError) return reply(err.code, err.status, err.message);
      throw err;
    }
    if (!logs) return reply(GrpcStatus.OK, 200, null, encodeResponse('protobuf', 0, ''));
    const taken = take(message, 'protobuf', options);
    if (taken.kind === 'bad') return reply(GrpcStatus.INVALID_ARGUMENT, 400, taken.message);
    if (taken.kind === 'busy') return reply(GrpcStatus.UNAVAILABLE, 503, taken.message);
    const { records, rejected, message: said } = taken.result;
    reply(GrpcStatus.OK, 200, null, encodeResponse('protobuf', rejected, said), records, rejected);
  } finally {
    (turn as Turn).leave();
  }
}

/** A body that could not be read, in gRPC's terms (any other: INVALID_ARGUMENT). */
const GRPC_OF_BODY_ERROR: Partial<Record<BodyError['status'], GrpcCode>> = {
  408: GrpcStatus.DEADLINE_EXCEEDED,
  413: GrpcStatus.RESOURCE_EXHAUSTED,
  429: GrpcStatus.UNAVAILABLE,
  499: GrpcStatus.CANCELLED,
};

const TOO_MANY = 'too many requests at once; retry later';
const WAITED = 'waited too long for a turn while other bodies were read; retry later';

/** How long an OTLP/HTTP request waits for its turn: exporters give up after 10 s, and retry a 429. */
export const TURN_WAIT_MS = 3_000;
/** A gRPC call waits longer: the official exporter does not retry UNAVAILABLE, only its deadline (10 s) ends it. */
export const GRPC_TURN_WAIT_MS = 8_000;
/**
 * What a body claims of the budget before it is read, when it declares no length (the official
 * exporters' chunked bodies and gRPC calls) or comes compressed: more than most batches take, and
 * a stalled upload holds no more. A body that outgrows it waits for room up to the limit.
 */
export const FIRST_CLAIM = 1024 * 1024;

/** A body read in its turn: its bytes, room for it to grow, and the turn to give back when done. */
interface Turn {
  body: Buffer;
  grow: (to: number) => Promise<boolean>;
  leave: () => void;
}

/**
 * A request's body, read in its turn at the gate; why there is none (the queue is full, or the
 * wait was too long: a sentence for the 429), or why the body could not be read (the turn given
 * back). The turn claims the body's declared length, or FIRST_CLAIM when it declares none or
 * comes compressed, and grows as the body does.
 */
async function bodyInTurn(
  gate: Gate,
  req: IncomingMessage,
  limit: number,
  timing: BodyTiming | undefined,
  waitMs: number,
  /** Whether a turn whose wait ran out while the thread was busy is refused (OTLP/HTTP, which retries). */
  refuseLate = true,
): Promise<Turn | string | BodyError> {
  if (!gate.tryEnter()) return TOO_MANY;
  const declared = Number(req.headers['content-length']);
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const plain = encoding === 'identity' || encoding === '';
  const first = Math.min(limit, Number.isSafeInteger(declared) && declared >= 0 && plain ? declared : FIRST_CLAIM);
  if (!(await gate.turn(first, waitMs, 0, refuseLate))) return WAITED;
  let held = first;
  const claim: BodyClaim = {
    held: () => held,
    grow: async (to) => {
      if (to <= held) return true;
      const ok = await gate.turn(to - held, waitMs, held, refuseLate);
      if (ok) held = to;
      return ok;
    },
  };
  try {
    // A sender that hung up while it waited is found here, and its turn given back at once.
    const body = await readBody(req, limit, timing, claim);
    return { body, grow: claim.grow, leave: () => gate.leave(held) };
  } catch (err) {
    gate.leave(held);
    return err instanceof BodyError ? err : new BodyError(400, 'the body could not be read');
  }
}

/** What became of a logs body: not OTLP, a store that cannot take it now, or stored. */
type Taken =
  { kind: 'bad'; message: string } | { kind: 'busy'; message: string } | { kind: 'stored'; result: AcceptResult };

/** Decodes a logs body and hands its records to the store, as they are decoded (OTLP/HTTP and gRPC alike). */
function take(body: Buffer, format: BodyFormat, options: ReceiverOptions): Taken {
  try {
    return { kind: 'stored', result: options.accept(logRecordsOf(body, format)) };
  } catch (err) {
    if (err instanceof BadBodyError) return { kind: 'bad', message: err.message };
    if (err instanceof UnavailableError) return { kind: 'busy', message: err.message };
    throw err;
  }
}

/** Ends a gRPC call: HTTP 200, the answer's message if any, and its status in the trailers. */
function grpcEnd(res: Http2ServerResponse, code: GrpcCode, reason: string, message?: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/grpc' });
  res.addTrailers(
    code === GrpcStatus.OK
      ? { 'grpc-status': '0' }
      : { 'grpc-status': String(code), 'grpc-message': grpcMessage(reason) },
  );
  if (message === undefined) res.end();
  else res.end(frame(message));
}

function send(res: ServerResponse, status: number, format: BodyFormat, body: Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', format === 'json' ? 'application/json' : 'application/x-protobuf');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** The gRPC code an OTLP/HTTP error status stands for (google.rpc.Code). */
function grpcCodeOfHttp(status: number): number {
  const codes: Record<number, number> = { 400: 3, 401: 16, 404: 5, 405: 12, 408: 4, 413: 8, 429: 8, 503: 14 };
  return codes[status] ?? 2; // UNKNOWN
}

/** A protobuf varint. */
function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** `google.rpc.Status { int32 code = 1; string message = 2; }`, encoded. */
export function rpcStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from([0x08]), varint(code), Buffer.from([0x12]), varint(text.length), text]);
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

/** A request waiting at the gate: the bytes it asks for, what it holds already, its answer. */
interface Waiter {
  claim: number;
  own: number;
  /**
   * When a turn given later would be refused instead (performance.now()); Infinity for a gRPC
   * call, whose UNAVAILABLE the official exporter does not retry: late is better than lost.
   */
  until: number;
  grant(ok: boolean): void;
}

/**
 * Bodies claim bytes of a budget while they are read and handled, first come first served; a
 * body already being read that needs more room goes before the bodies not yet begun. At most
 * `maxWaiting` requests wait for a turn.
 */
class Gate {
  private claimed = 0;
  /** Bodies being read that wait for more room, and requests that wait for their first turn. */
  private readonly growing: Waiter[] = [];
  private readonly waiting: Waiter[] = [];
  constructor(
    private readonly budget: number,
    private readonly maxWaiting: number,
  ) {}

  /** Whether a request may join the queue (false: it is full). */
  tryEnter(): boolean {
    return this.waiting.length < this.maxWaiting;
  }

  /**
   * Claims `claim` more bytes for a body that holds `own` already: true once granted (give them
   * back with leave), false when `waitMs` ran out first.
   */
  turn(claim: number, waitMs: number, own = 0, refuseLate = true): Promise<boolean> {
    const queue = own > 0 ? this.growing : this.waiting;
    if (this.head(queue) === undefined && this.fits(claim, own)) {
      this.claimed += claim;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(waiter), 1);
        resolve(false);
        this.next();
      }, waitMs);
      const waiter: Waiter = {
        claim,
        own,
        until: refuseLate ? performance.now() + waitMs : Infinity,
        grant: (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      queue.push(waiter);
    });
  }

  /** Gives back what a turn holds. */
  leave(held: number): void {
    this.claimed -= held;
    this.next();
  }

  /** The waiter a new claim of `queue` would stand behind (growers stand only behind growers). */
  private head(queue: Waiter[]): Waiter | undefined {
    return queue === this.growing ? this.growing[0] : (this.growing[0] ?? this.waiting[0]);
  }

  /** A claim fits when no other body holds anything, or when it stays within the budget. */
  private fits(claim: number, own: number): boolean {
    return this.claimed - own === 0 || this.claimed + claim <= this.budget;
  }

  /**
   * Grants the waiters that fit, in order. An OTLP/HTTP request whose wait ran out while this
   * thread was busy (a large batch being stored holds it for a while, and its timer could not
   * fire) is answered as its timer would have, 429, which its exporter retries: the wait stays the
   * bound the README gives. A gRPC call is given its turn however late (see Waiter.until).
   */
  private next(): void {
    const now = performance.now();
    for (let w = this.head(this.waiting); w !== undefined && this.fits(w.claim, w.own); w = this.head(this.waiting)) {
      (w.own > 0 ? this.growing : this.waiting).shift();
      if (now >= w.until) {
        w.grant(false);
        continue;
      }
      this.claimed += w.claim;
      w.grant(true);
    }
  }
}
