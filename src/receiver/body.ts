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
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
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

/** Reads the whole body (decompressed), or throws BodyError. Stops reading at the first excess byte. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let size = 0;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      if (err) {
        req.unpipe();
        inflater?.destroy();
        drain(req);
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const tooLarge = (): BodyError => new BodyError(413, `the body is over the limit of ${limit} bytes`);
    req.on('data', (c: Buffer) => {
      raw += c.length;
      if (raw > limit) finish(tooLarge());
    });
    req.on('error', (e) => finish(e));
    req.on('aborted', () => finish(new BodyError(400, 'the body ended early')));
    const sink = inflater ?? req;
    if (inflater) {
      req.pipe(inflater);
      inflater.on('error', () => finish(new BodyError(400, `the ${encoding} body is not valid`)));
    }
    sink.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(c);
    });
    sink.on('end', () => finish(null));
  });
}
