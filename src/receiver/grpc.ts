/**
 * OTLP/gRPC on the receiver's port: what a sender set to `OTEL_EXPORTER_OTLP_PROTOCOL=grpc` sends.
 * A gRPC call is an HTTP/2 POST to `/<service>/<method>` whose body is length-prefixed messages
 * (a flag byte for compression, a 32-bit big-endian length, the protobuf bytes); its outcome is the
 * `grpc-status` trailer, never the HTTP status. A plaintext connection is told apart from HTTP/1.1
 * by the HTTP/2 preface, a TLS one by ALPN, so one port serves both protocols.
 */
import type { Socket } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

export const GRPC_LOGS = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
/** Answered with success and stored nowhere, as `/v1/metrics` and `/v1/traces` are. */
export const GRPC_IGNORED = new Set([
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
]);

/** The gRPC status codes the receiver answers with. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

/** A body that is not one well-formed gRPC message. */
export class BadFrameError extends Error {
  override readonly name = 'BadFrameError';
  constructor(
    readonly code: GrpcCode,
    /** The HTTP status that means the same, for the receiver's counters. */
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The one message of a unary call's body, decompressed by the call's `grpc-encoding` with at most
 * `limit` bytes out. Throws BadFrameError.
 */
export function unframe(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  if (body.length < 5) throw new BadFrameError(GrpcStatus.INVALID_ARGUMENT, 400, 'the gRPC message is cut short');
  const compressed = body[0]!;
  const length = body.readUInt32BE(1);
  if (compressed > 1) throw new BadFrameError(GrpcStatus.INVALID_ARGUMENT, 400, 'the gRPC message flag is not 0 or 1');
  if (5 + length !== body.length) {
    const why = 5 + length > body.length ? 'the gRPC message is cut short' : 'a unary call carries one message only';
    throw new BadFrameError(GrpcStatus.INVALID_ARGUMENT, 400, why);
  }
  const message = body.subarray(5);
  if (compressed === 0) return message;
  const name = (encoding ?? 'identity').trim().toLowerCase();
  // A message marked compressed on a call that names no compression is a protocol error (INTERNAL, as gRPC says).
  if (name === 'identity')
    throw new BadFrameError(
      GrpcStatus.INTERNAL,
      400,
      'the gRPC message is marked compressed, but the call names no grpc-encoding',
    );
  try {
    if (name === 'gzip') return gunzipSync(message, { maxOutputLength: limit });
    if (name === 'deflate') return inflateSync(message, { maxOutputLength: limit });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new BadFrameError(GrpcStatus.RESOURCE_EXHAUSTED, 413, `the message is over the limit of ${limit} bytes`);
    throw new BadFrameError(GrpcStatus.INVALID_ARGUMENT, 400, `the ${name} message is not valid`);
  }
  throw new BadFrameError(GrpcStatus.UNIMPLEMENTED, 415, `unsupported grpc-encoding "${name.slice(0, 40)}"`);
}

/** One uncompressed message, length-prefixed. */
export function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

/** A `grpc-message` value: UTF-8, with `%`, controls and non-ASCII bytes percent-encoded. */
export function grpcMessage(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    out +=
      b >= 0x20 && b <= 0x7e && b !== 0x25
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Whether a request's content type is gRPC's (`application/grpc`, `application/grpc+proto`). */
export function isGrpcType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/grpc' || type.startsWith('application/grpc+');
}

/** The client's first bytes on an HTTP/2 connection without TLS (RFC 9113, section 3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** The first byte of a TLS handshake record: a sender speaking HTTPS to a plain-HTTP port. */
const TLS_HANDSHAKE = 0x16;
/** How long a new connection may stay silent before it is closed. */
const FIRST_BYTES_MS = 30_000;

/** What a plaintext connection's first bytes open: HTTP/1.1, HTTP/2, or a TLS handshake. */
export type FirstBytes = 'http1' | 'http2' | 'tls';

/**
 * Reads a new plaintext connection's first bytes and calls `to` with what they open, with the
 * bytes put back (it decides as soon as they differ from the preface, so an HTTP/1.1 request
 * waits for nothing). A connection that ends, fails or stays silent first is closed.
 */
export function sniffFirstBytes(socket: Socket, to: (kind: FirstBytes) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => finish(null), FIRST_BYTES_MS);
  timer.unref();
  const onReadable = (): void => {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null)
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    if (n === 0) return;
    if (seen[0] === TLS_HANDSHAKE) finish('tls');
    else if (seen.compare(PREFACE, 0, n, 0, n) !== 0) finish('http1');
    else if (n === PREFACE.length) finish('http2');
  };
  const onGone = (): void => finish(null);
  const finish = (kind: FirstBytes | null): void => {
    clearTimeout(timer);
    socket.off('readable', onReadable);
    socket.off('end', onGone);
    socket.off('error', onGone);
    if (kind === null) {
      socket.destroy();
      return;
    }
    if (seen.length > 0) socket.unshift(seen);
    to(kind);
  };
  socket.on('readable', onReadable);
  socket.on('end', onGone);
  socket.on('error', onGone);
}
