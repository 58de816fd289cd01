/** The gRPC wire rules of the receiver: one length-prefixed message per call, its compression, its status text. */
import { connect, createServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BadFrameError,
  frame,
  grpcMessage,
  GrpcStatus,
  sniffFirstBytes,
  unframe,
  type FirstBytes,
} from '../../src/receiver/grpc.js';

const LIMIT = 1024;

function framed(message: Buffer, flag = 0, length = message.length): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(length, 1);
  return Buffer.concat([head, message]);
}

function refusal(body: Buffer, encoding = 'identity'): { code: number; status: number } {
  try {
    unframe(body, encoding, LIMIT);
  } catch (err) {
    if (err instanceof BadFrameError) return { code: err.code, status: err.status };
    throw err;
  }
  throw new Error('unframe accepted it');
}

describe('gRPC messages', () => {
  it('takes one message, plain or gzip, and frames an answer the same way', () => {
    const m = Buffer.from('hello');
    expect(unframe(framed(m), 'identity', LIMIT)).toEqual(m);
    expect(unframe(framed(gzipSync(m), 1), 'gzip', LIMIT)).toEqual(m);
    expect(unframe(frame(m), 'identity', LIMIT)).toEqual(m);
    expect(unframe(framed(Buffer.alloc(0)), 'identity', LIMIT)).toEqual(Buffer.alloc(0));
  });

  it('refuses a cut message, two messages, a bad flag, bad gzip, an unknown encoding and a bomb', () => {
    const invalid = { code: GrpcStatus.INVALID_ARGUMENT, status: 400 };
    expect(refusal(Buffer.from([0, 0]))).toEqual(invalid);
    expect(refusal(framed(Buffer.from('abc'), 0, 10))).toEqual(invalid);
    expect(refusal(Buffer.concat([framed(Buffer.from('a')), framed(Buffer.from('b'))]))).toEqual(invalid);
    expect(refusal(framed(Buffer.from('a'), 2))).toEqual(invalid);
    expect(refusal(framed(Buffer.from('not gzip'), 1), 'gzip')).toEqual(invalid);
    expect(refusal(framed(Buffer.from('x'), 1), 'snappy')).toEqual({ code: GrpcStatus.UNIMPLEMENTED, status: 415 });
    // Marked compressed on a call that names no compression: INTERNAL, as the gRPC protocol says.
    for (const none of [undefined, 'identity'])
      expect(refusal(framed(gzipSync(Buffer.from('x')), 1), none)).toEqual({ code: GrpcStatus.INTERNAL, status: 400 });
    const bomb = gzipSync(Buffer.alloc(LIMIT * 50, 0x20));
    expect(refusal(framed(bomb, 1), 'gzip')).toEqual({ code: GrpcStatus.RESOURCE_EXHAUSTED, status: 413 });
  });

  it('percent-encodes a status message outside printable ASCII, and the percent sign', () => {
    expect(grpcMessage('bad token')).toBe('bad token');
    expect(grpcMessage('100% wrong\n')).toBe('100%25 wrong%0A');
    expect(grpcMessage('é')).toBe('%C3%A9');
  });
});

describe('telling HTTP/2, HTTP/1.1 and TLS apart on one port', () => {
  /** What sniffFirstBytes decides for bytes written in the given pieces, and the bytes left to read. */
  async function decide(pieces: (string | Buffer)[]): Promise<{ kind: FirstBytes | null; rest: string }> {
    let resolveDecision: (v: { kind: FirstBytes | null; rest: string }) => void = () => {};
    const decided = new Promise<{ kind: FirstBytes | null; rest: string }>((r) => (resolveDecision = r));
    const server = createServer((socket: Socket) => {
      socket.on('close', () => resolveDecision({ kind: null, rest: '' }));
      sniffFirstBytes(socket, (kind) => {
        let rest = '';
        socket.on('data', (d: Buffer) => (rest += d.toString('latin1')));
        setTimeout(() => resolveDecision({ kind, rest }), 100);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    for (const p of pieces) {
      client.write(p);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (pieces.length === 0) client.end();
    const out = await decided;
    client.destroy();
    server.close();
    return out;
  }

  it('decides at the first byte that differs from the preface, and gives every byte back', async () => {
    expect(await decide(['POST /v1/logs HTTP/1.1\r\n'])).toEqual({
      kind: 'http1',
      rest: 'POST /v1/logs HTTP/1.1\r\n',
    });
    expect(await decide(['P', 'O', 'ST / HTTP/1.1\r\n'])).toEqual({ kind: 'http1', rest: 'POST / HTTP/1.1\r\n' });
    expect(await decide([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])])).toEqual({
      kind: 'tls',
      rest: '\x16\x03\x01\x02\x00',
    });
    expect(await decide(['PRI * HTTP/2.0\r\n', '\r\nSM\r\n\r\nxyz'])).toEqual({
      kind: 'http2',
      rest: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nxyz',
    });
  });

  it('closes a connection that ends before it said anything', async () => {
    expect(await decide([])).toEqual({ kind: null, rest: '' });
  });
});
