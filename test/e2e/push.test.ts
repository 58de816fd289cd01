/**
 * `push` from one machine's store into another's `serve`: the receiving store ends with the same
 * totals as one store reading both machines' transcripts; a failed push resends only what was not
 * acknowledged, and a second push sends nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliPath, repo } from './build-cli.js';

const realLogs = (name: string): string => path.join(repo, '..', 'shared', 'real-logs', name);

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, NO_COLOR: '1', CREDITMETER_TOKEN: '', CLAUDE_CONFIG_DIR: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every `serve` still running: one a failed test left behind is ended after the file. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const proc of running) proc.kill('SIGKILL');
});

function startServe(
  args: string[],
  listen = '127.0.0.1:0',
): Promise<{ url: string; proc: ChildProcess; exited: Promise<unknown> }> {
  const proc = spawn(process.execPath, [cliPath, 'serve', '--listen', listen, ...args], {
    env: { ...process.env, NO_COLOR: '1', CREDITMETER_TOKEN: '', CLAUDE_CONFIG_DIR: '' },
  });
  running.add(proc);
  const exited = new Promise((r) => proc.on('exit', r));
  proc.on('exit', () => running.delete(proc));
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /receiving OpenTelemetry on (http\S+)\/v1\/logs/.exec(out);
      if (m) resolve({ url: m[1]!, proc, exited });
    });
    proc.stderr!.on('data', (d) => (out += String(d)));
    setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
  });
}

/** `serve` on a given loopback port. */
function startServeAt(port: number, args: string[]): ReturnType<typeof startServe> {
  return startServe(args, `127.0.0.1:${port}`);
}

/** The first of `ports` free on loopback. */
async function freePort(ports: number[]): Promise<number> {
  for (const port of ports) {
    const s = createServer();
    const free = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.listen(port, '127.0.0.1', () => r(true));
    });
    if (free) {
      await new Promise((r) => s.close(r));
      return port;
    }
  }
  throw new Error(`none of ${ports.join(', ')} is free`);
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface Report {
  rows: Array<{ key: string; requests: number; cost: number; inputTokens: number; cacheWrite1hTokens: number }>;
  totals: { requests: number; cost: number };
}

async function byClass(common: string[]): Promise<Report> {
  const r = await run(['report', '--by', 'class', '--class', 'all', '--json', ...common]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

beforeAll(() => buildCli(), 120_000);

describe('push', () => {
  it('backfills another store to the totals of reading both machines, once, resuming after a failure', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-'));
    const config = ['--config', path.join(dir, 'none.json')];
    writeFileSync(path.join(dir, 'none.json'), '{}');
    const laptop = [
      '--db',
      path.join(dir, 'laptop.db'),
      '--claude-dir',
      realLogs('spotter'),
      '--claude-dir',
      realLogs('margin'),
      ...config,
    ];
    const team = ['--db', path.join(dir, 'team.db'), '--claude-dir', realLogs('claude-code-viewer'), ...config];
    const both = [
      '--db',
      path.join(dir, 'both.db'),
      '--claude-dir',
      realLogs('spotter'),
      '--claude-dir',
      realLogs('margin'),
      '--claude-dir',
      realLogs('claude-code-viewer'),
      ...config,
    ];

    const down = await run(['push', '--to', `http://127.0.0.1:${await deadPort()}`, ...laptop]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/could not be reached/);
    // Only why it stopped: no "sent 0 requests" line that reads as success.
    expect(down.stdout).toBe('');

    const server = await startServe(team);
    const first = await run(['push', '--to', server.url, '--json', ...laptop]);
    expect(first.code, first.stderr).toBe(0);
    const sent = JSON.parse(first.stdout) as { sent: number; rejected: number; alreadySent: number };
    expect(sent.sent).toBe(906);
    expect(sent.rejected).toBe(0);
    expect(sent.alreadySent).toBe(0);
    const again = JSON.parse((await run(['push', '--to', server.url, '--json', ...laptop])).stdout) as typeof sent;
    expect(again.sent).toBe(0);
    expect(again.alreadySent).toBe(906);
    server.proc.kill('SIGTERM');
    await server.exited;

    await run(['ingest', ...both]);
    const expected = await byClass(both);
    const got = await byClass(team);
    expect(got.totals.requests).toBe(expected.totals.requests);
    expect(got.totals.cost).toBeCloseTo(expected.totals.cost, 9);
    expect(got.rows.map((r) => [r.key, r.requests, r.inputTokens, r.cacheWrite1hTokens])).toEqual(
      expected.rows.map((r) => [r.key, r.requests, r.inputTokens, r.cacheWrite1hTokens]),
    );
    for (const [i, r] of got.rows.entries()) expect(r.cost).toBeCloseTo(expected.rows[i]!.cost, 9);
  }, 90_000);

  it('--again sends every request to a store made anew at the same address, which keeps each once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-again-'));
    writeFileSync(path.join(dir, 'none.json'), '{}');
    const config = ['--config', path.join(dir, 'none.json')];
    const laptop = ['--db', path.join(dir, 'laptop.db'), '--claude-dir', realLogs('margin'), ...config];
    // Below Linux's ephemeral range, so no other test's connection takes it between the two serves.
    const port = await freePort([29311, 29312, 29313, 29314, 29315, 29316, 29317, 29318]);
    const store = (name: string): string[] => [
      '--db',
      path.join(dir, name),
      '--claude-dir',
      path.join(dir, 'none'),
      ...config,
    ];
    mkdirSync(path.join(dir, 'none', 'projects'), { recursive: true });
    const to = `http://127.0.0.1:${port}`;
    const push = async (...extra: string[]): Promise<{ sent: number; alreadySent: number }> => {
      const r = await run(['push', '--to', to, '--json', ...extra, ...laptop]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { sent: number; alreadySent: number };
    };
    const first = await startServeAt(port, store('first.db'));
    const all = (await push()).sent;
    expect(all).toBeGreaterThan(0);
    first.proc.kill('SIGTERM');
    await first.exited;
    // A new store behind the same address: what this machine sent before is not in it.
    const second = await startServeAt(port, store('second.db'));
    expect(await push()).toMatchObject({ sent: 0, alreadySent: all });
    // Said without --json, with the way out.
    expect((await run(['push', '--to', to, ...laptop])).stdout).toMatch(/nothing new to send.*push --again/s);
    expect(await push('--again')).toMatchObject({ sent: all, alreadySent: 0 });
    // Twice is still once there.
    expect((await push('--again')).sent).toBe(all);
    second.proc.kill('SIGTERM');
    await second.exited;
    expect((await byClass(store('second.db'))).totals.requests).toBe((await byClass(laptop)).totals.requests);
  }, 60_000);

  it('sends a request again when its transcript copy grew after it was sent, and the receiver keeps the grown copy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-grown-'));
    writeFileSync(path.join(dir, 'none.json'), '{}');
    const project = path.join(dir, 'claude', 'projects', '-home-ci-job');
    mkdirSync(project, { recursive: true });
    const file = path.join(project, '5e55aaaa-0000-4000-8000-000000000001.jsonl');
    // The first copy of a streaming response carries a placeholder count; the last, the real one.
    const line = (output: number, uuid: string): string =>
      `${JSON.stringify({
        type: 'assistant',
        uuid,
        sessionId: '5e55aaaa-0000-4000-8000-000000000001',
        timestamp: new Date(Date.now() - 3_600_000).toISOString(),
        cwd: '/home/ci/job',
        version: '2.1.120',
        entrypoint: 'sdk-cli',
        requestId: 'req_grown_0001',
        message: {
          id: 'msg_grown_0001',
          type: 'message',
          role: 'assistant',
          model: 'claude-opus-4-5-20251101',
          content: [],
          usage: {
            input_tokens: 10,
            output_tokens: output,
            cache_read_input_tokens: 0,
            cache_creation_input_tokens: 0,
          },
        },
      })}\n`;
    writeFileSync(file, line(3, '00000000-0000-4000-8000-00000000000a'));
    const config = ['--config', path.join(dir, 'none.json')];
    const laptop = ['--db', path.join(dir, 'laptop.db'), '--claude-dir', path.join(dir, 'claude'), ...config];
    mkdirSync(path.join(dir, 'empty'));
    const team = ['--db', path.join(dir, 'team.db'), '--claude-dir', path.join(dir, 'empty'), ...config];
    const server = await startServe(team);
    const push = async (): Promise<{ sent: number; alreadySent: number }> => {
      const r = await run(['push', '--to', server.url, '--json', ...laptop]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { sent: number; alreadySent: number };
    };
    expect(await push()).toMatchObject({ sent: 1, alreadySent: 0 });
    writeFileSync(file, line(40_000, '00000000-0000-4000-8000-00000000000b'), { flag: 'a' });
    expect(await push()).toMatchObject({ sent: 1, alreadySent: 0 });
    expect(await push()).toMatchObject({ sent: 0, alreadySent: 1 });
    server.proc.kill('SIGTERM');
    await server.exited;
    const local = await byClass(laptop);
    const got = await byClass(team);
    expect(local.totals.requests).toBe(1);
    expect(got.totals.requests).toBe(1);
    expect(got.totals.cost).toBeCloseTo(local.totals.cost, 9);
    expect(local.totals.cost).toBeGreaterThan(0.9);
  }, 60_000);

  it('sends in smaller batches to a receiver with a small body limit, and names the token when it is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-small-'));
    writeFileSync(path.join(dir, 'none.json'), '{}');
    writeFileSync(path.join(dir, 'token'), 'right-token\n');
    writeFileSync(path.join(dir, 'wrong'), 'wrong-token\n');
    const config = ['--config', path.join(dir, 'none.json')];
    const laptop = ['--db', path.join(dir, 'laptop.db'), '--claude-dir', realLogs('spotter'), ...config];
    const server = await startServe([
      '--db',
      path.join(dir, 'team.db'),
      '--claude-dir',
      path.join(dir),
      '--token-file',
      path.join(dir, 'token'),
      '--max-body-mb',
      '0.1',
      ...config,
    ]);
    try {
      const refused = await run(['push', '--to', server.url, '--token-file', path.join(dir, 'wrong'), ...laptop]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/answered 401.*check the token \(--token-file or CREDITMETER_TOKEN\)/s);
      const tokenless = await run(['push', '--to', server.url, ...laptop]);
      expect(tokenless.code).toBe(1);
      expect(tokenless.stderr).toMatch(/answered 401.*no token was given: pass the one serve uses with --token-file/s);
      const r = await run(['push', '--to', server.url, '--token-file', path.join(dir, 'token'), '--json', ...laptop]);
      expect(r.code, r.stderr).toBe(0);
      const sent = JSON.parse(r.stdout) as { sent: number; batches: number; error: string | null };
      expect(sent.error).toBeNull();
      expect(sent.sent).toBe(904);
      // 512 requests are over 0.1 MB of JSON: they went in smaller batches.
      expect(sent.batches).toBeGreaterThan(2);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);

  it('reaches a serve on a port fetch refuses, and says what a wrong scheme or path needs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-port-'));
    writeFileSync(path.join(dir, 'none.json'), '{}');
    const config = ['--config', path.join(dir, 'none.json')];
    const laptop = ['--db', path.join(dir, 'laptop.db'), '--claude-dir', realLogs('margin'), ...config];
    mkdirSync(path.join(dir, 'claude', 'projects'), { recursive: true });
    const team = ['--db', path.join(dir, 'team.db'), '--claude-dir', path.join(dir, 'claude'), ...config];
    // Ports the Fetch standard blocks (browsers and Node's fetch refuse them); serve and the OTLP
    // exporters use them as any other.
    const port = await freePort([6666, 6665, 6667, 6668, 6669, 6697, 10080]);
    const server = await startServe(['--listen', `127.0.0.1:${port}`, ...team]);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      const wrongPath = await run(['push', '--to', `${server.url}/custom`, ...laptop]);
      expect(wrongPath.code).toBe(1);
      expect(wrongPath.stderr.replace(/\n/g, ' ')).toMatch(/answered 404.*give --to the address serve prints/);
      const tls = await run(['push', '--to', server.url.replace('http:', 'https:'), ...laptop]);
      expect(tls.code).toBe(1);
      expect(tls.stderr.replace(/\n/g, ' ')).toMatch(/speaks plain HTTP: give --to http:\/\//);
      // A proxy that redirects: said, with where to, not followed.
      const proxy = createHttpServer((req, res) => {
        req.resume();
        res.writeHead(308, { location: '/other/v1/logs' }).end();
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const moved = await run(['push', '--to', proxyUrl, ...laptop]);
      await new Promise((r) => proxy.close(r));
      expect(moved.code).toBe(1);
      // (A relative Location is said as the whole address it names.)
      expect(moved.stderr.replace(/\n/g, ' ')).toContain(
        `answered 308 (a redirect to ${proxyUrl}/other/v1/logs, not followed)`,
      );
      expect(moved.stderr.replace(/\n/g, ' ')).toMatch(/give --to the address it redirects to/);
      // What a server answers is its text: shown with its control characters escaped, never run.
      const hostile = createHttpServer((req, res) => {
        req.resume();
        res.writeHead(500, { 'content-type': 'text/plain' }).end('bad\u001b]0;PWNED\u0007\u001b[2J');
      });
      await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
      const hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
      const answered = await run(['push', '--to', hostileUrl, ...laptop]);
      await new Promise((r) => hostile.close(r));
      expect(answered.code).toBe(1);
      expect(answered.stderr).not.toMatch(/[\u0007\u001b]/);
      expect(answered.stderr).toContain('answered 500: bad\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J');
      const r = await run(['push', '--to', server.url, '--json', ...laptop]);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { sent: number }).sent).toBe(2);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);

  it('names the way out when the target has a certificate this machine does not trust', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-tls-'));
    writeFileSync(path.join(dir, 'none.json'), '{}');
    const config = ['--config', path.join(dir, 'none.json')];
    const cert = path.join(repo, 'fixtures', 'tls', 'cert.pem');
    const key = path.join(repo, 'fixtures', 'tls', 'key.pem');
    const laptop = ['--db', path.join(dir, 'laptop.db'), '--claude-dir', realLogs('margin'), ...config];
    mkdirSync(path.join(dir, 'claude', 'projects'), { recursive: true });
    const team = ['--db', path.join(dir, 'team.db'), '--claude-dir', path.join(dir, 'claude'), ...config];
    const server = await startServe(['--tls-cert', cert, '--tls-key', key, ...team]);
    const refused = await run(['push', '--to', server.url, ...laptop]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/self-signed certificate; to trust it, run with NODE_EXTRA_CA_CERTS=/);
    const trusted = await run(['push', '--to', server.url, '--json', ...laptop], { NODE_EXTRA_CA_CERTS: cert });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect((JSON.parse(trusted.stdout) as { sent: number }).sent).toBeGreaterThan(0);
    server.proc.kill('SIGTERM');
    await server.exited;
  }, 60_000);
  it('fails (exit 1) and says why when the receiver refuses some of the requests', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cm-push-refused-'));
    writeFileSync(path.join(dir, 'none.json'), '{}');
    const line = (id: string, model: string): string =>
      JSON.stringify({
        type: 'assistant',
        uuid: `u-${id}`,
        sessionId: '11111111-0000-4000-8000-000000000001',
        timestamp: new Date(Date.now() - 3_600_000).toISOString(),
        cwd: '/w',
        entrypoint: 'sdk-cli',
        requestId: `req_${id}`,
        message: {
          id: `msg_${id}`,
          model,
          role: 'assistant',
          content: [],
          usage: { input_tokens: 10, output_tokens: 20 },
        },
      });
    const folder = path.join(dir, 'claude', 'projects', '-w');
    mkdirSync(folder, { recursive: true });
    // A model name over the receiver's 512 characters: this store keeps it (unpriced), serve refuses it.
    writeFileSync(path.join(folder, 's.jsonl'), `${line('a', 'claude-sonnet-4-6')}\n${line('b', 'm'.repeat(600))}\n`);
    const laptop = [
      '--db',
      path.join(dir, 'laptop.db'),
      '--claude-dir',
      path.join(dir, 'claude'),
      '--config',
      path.join(dir, 'none.json'),
    ];
    const server = await startServe(['--db', path.join(dir, 'team.db'), '--config', path.join(dir, 'none.json')]);
    try {
      const r = await run(['push', '--to', server.url, ...laptop]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/sent 2 requests .* 1 refused by it/);
      expect(r.stderr).toMatch(
        /1 request was refused by \S+ \(1 api_request record refused: bad-model\): they stay in this store only/,
      );
      const json = JSON.parse((await run(['push', '--to', server.url, '--again', '--json', ...laptop])).stdout) as {
        rejected: number;
        rejectedWhy: string;
      };
      expect([json.rejected, json.rejectedWhy]).toEqual([1, '1 api_request record refused: bad-model']);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});
