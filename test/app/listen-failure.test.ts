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
