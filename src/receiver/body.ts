/**
 * Reads an HTTP request body with a hard limit on the bytes received and on the bytes after
 * decompression (a small gzip bomb never grows past the limit in memory), chunked or not.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';

/** Why a body could not be read, with the HTTP status that answers it. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    /** 408: the body came too slowly; 499 (nginx's "client closed request"): the sender hung up. */
    readonly status: 400 | 408 | 413 | 415 | 429 | 499,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How long a body may take once its read has begun: without a byte for `idleMs`, or not whole
 * after `totalMs`, the read ends (408) and the turn it holds goes to the next sender. Exporters
 * give up on an answer after 10 s by default: a body slower than this is no sender's normal.
 */
export interface BodyTiming {
  idleMs: number;
  totalMs: number;
}

export const BODY_TIMING: BodyTiming = { idleMs: 10_000, totalMs: 30_000 };

/** A sender that hung up before its body ended: no answer can reach it (it retries). */
const gone = (): BodyError => new BodyError(499, 'the sender hung up before its body ended');

/**
 * Whether the sender reset or closed the request's HTTP/2 stream (gRPC, or OTLP/HTTP over h2).
 * Node's compatibility request then ends as if complete, its unread data dropped, and is not
 * marked destroyed: the stream tells.
 */
function streamReset(req: IncomingMessage): boolean {
  const h2 = req as unknown as { stream?: { rstCode?: number; destroyed?: boolean }; aborted?: boolean };
  if (h2.stream === undefined) return false;
  return (h2.stream.rstCode ?? 0) !== 0 || h2.aborted === true;
}

/** Most bytes of a refused body read and thrown away (so the sender sees the answer); past it, the connection is cut. */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of a body that was refused, so the sender can read the answer
 * instead of a broken pipe; a sender that keeps sending past DRAIN_LIMIT loses the connection.
 */
export function drain(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  let drained = 0;
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

/**
 * What a body holds of the receiver's budget of bytes (server.ts): as it grows past that, reading
 * stops until `grow` gets it room up to the limit (false: none came in time, answered 429).
 */
export interface BodyClaim {
  held: () => number;
  grow: (to: number) => Promise<boolean>;
}

/** The answer to a body that outgrew its claim and found no room in time. */
export const NO_ROOM = 'waited too long for room while other bodies were read; retry later';

/**
 * Reads the whole body (decompressed), or throws BodyError. Stops reading at the first excess
 * byte, when the sender hangs up (also before the read began: its request may have waited for a
 * turn), and when the body comes too slowly (`timing`).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  timing: BodyTiming = BODY_TIMING,
  claim?: BodyClaim,
): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  let inflater: Gunzip | Inflate | null;
  if (encoding === 'gzip' || encoding === 'x-gzip') inflater = createGunzip();
  else if (encoding === 'deflate') inflater = createInflate();
  else if (encoding === 'identity' || encoding === '') inflater = null;
  else return Promise.reject(new BodyError(415, `unsupported Content-Encoding "${encoding.slice(0, 40)}"`));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.reject(new BodyError(413, `the body is over the limit of ${limit} bytes`));

  if ((req.destroyed && !req.readableEnded) || streamReset(req)) return Promise.reject(gone());

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let size = 0;
    let done = false;
    let idle: NodeJS.Timeout | null = null;
    const slow = (): void =>
      finish(
        new BodyError(
          408,
          `the body came too slowly (nothing for ${timing.idleMs / 1000} s, or not whole after ${timing.totalMs / 1000} s)`,
        ),
      );
    const total = setTimeout(slow, timing.totalMs);
    const stillComing = (): void => {
      if (idle !== null) clearTimeout(idle);
      idle = setTimeout(slow, timing.idleMs);
    };
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(total);
      if (idle !== null) clearTimeout(idle);
      // An HTTP/2 stream reset mid-body ends its request as if whole: what came is not the body.
      // The reset shows on the stream only after that end; a declared length shows it at once.
      if (err === null && (streamReset(req) || (Number.isFinite(declared) && raw !== declared))) err = gone();
      if (err) {
        req.unpipe();
        inflater?.destroy();
        // The rest of a refused body is read away so its sender sees the answer; a sender that is
        // gone or too slow is not waited for.
        const status = err instanceof BodyError ? err.status : 0;
        if (status !== 408 && status !== 499) drain(req);
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    stillComing();
    const tooLarge = (): BodyError => new BodyError(413, `the body is over the limit of ${limit} bytes`);
    req.on('data', (c: Buffer) => {
      // A refused body is read away after its answer: no timer for it.
      if (done) return;
      stillComing();
      raw += c.length;
      if (raw > limit) finish(tooLarge());
    });
    req.on('error', () => finish(gone()));
    req.on('aborted', () => finish(gone()));
    // A request that closes before its end: the sender hung up (or its stream was reset).
    req.on('close', () => {
      if (!req.readableEnded) finish(gone());
    });
    const sink = inflater ?? req;
    if (inflater) {
      req.pipe(inflater);
      inflater.on('error', () => finish(new BodyError(400, `the ${encoding} body is not valid`)));
    }
    let growing = false;
    sink.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) return finish(tooLarge());
      chunks.push(c);
      // Past its claim: no more is read until the claim grows to the limit (or it cannot).
      if (claim !== undefined && size > claim.held() && !growing) {
        growing = true;
        sink.pause();
        void claim.grow(limit).then((ok) => {
          growing = false;
          if (done) return;
          if (ok) sink.resume();
          else finish(new BodyError(429, NO_ROOM));
        });
      }
    });
    sink.on('end', () => finish(null));
  });
}
