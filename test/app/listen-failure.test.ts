/** Why a receiver could not listen, said alike by `serve` and the dashboard's `--listen`. */
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenFailure, parseListen } from '../../src/app/listen.js';

function listen(server: Server, port: number): Promise<Error | null> {
  return new Promise((resolve) => {
    server.once('error', (err) => resolve(err));
    server.listen(port, '127.0.0.1', () => resolve(null));
  });
}

describe('listenFailure', () => {
  it('names an address already in use and the way out; other errors are left to their own message', async () => {
    const first = createServer();
    expect(await listen(first, 0)).toBeNull();
    const port = (first.address() as { port: number }).port;
    const second = createServer();
    const err = await listen(second, port);
    first.close();
    expect(err).not.toBeNull();
    expect(listenFailure(parseListen(`127.0.0.1:${port}`), err)).toBe(
      `127.0.0.1:${port} is already in use; pick another with --listen.`,
    );
    expect(listenFailure(parseListen('127.0.0.1:1'), new Error('something else'))).toBeNull();
  });
});

describe('parseListen', () => {
  it('says a port out of range is out of range, and other text is not HOST:PORT', () => {
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('[::1]:65535')).toEqual({ host: '::1', port: 65535 });
    expect(() => parseListen('127.0.0.1:99999')).toThrow(
      'the port 99999 is out of range (1-65535; 0 picks a free one)',
    );
    expect(() => parseListen('127.0.0.1:http')).toThrow('is not HOST:PORT');
  });
});
