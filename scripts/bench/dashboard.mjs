// Dashboard benchmark: append-to-screen latency of the built CLI in a real terminal (tmux), and
// its idle CPU. Each append writes one request line whose project name is unique; the time until
// that name appears in the terminal output stream (tmux pipe-pane) is the latency.
// A section of `npm run bench` (run(env) returns rows); also runs alone: `node scripts/bench/dashboard.mjs`.
// The store holds the demo history (about three months of one user's requests), caught up first.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APPENDS = 50;
const IDLE_SECONDS = 30;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function requestLine(i, nowMs) {
  const id = `bench-${process.pid}-${i}`;
  return JSON.stringify({
    type: 'assistant',
    uuid: `uuid-${id}`,
    parentUuid: null,
    isSidechain: false,
    timestamp: new Date(nowMs).toISOString(),
    sessionId: 'bench-session',
    cwd: `/bench/q${String(i).padStart(3, '0')}x`,
    version: '2.1.90',
    entrypoint: 'sdk-cli',
    requestId: `req_${id}`,
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-6',
      role: 'assistant',
      type: 'message',
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 100, output_tokens: 200, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  });
}

/** CPU ticks (user + system) of a process, from /proc/<pid>/stat. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function clockTicks() {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout.trim()) || 100;
}

/** Waits until `marker` shows up in the output stream file after `offset`; returns the new offset. */
async function waitForMarker(file, offset, marker, timeoutMs) {
  const start = performance.now();
  let pos = offset;
  let tail = '';
  const buf = Buffer.alloc(1 << 16);
  while (performance.now() - start < timeoutMs) {
    const size = statSync(file).size;
    if (size > pos) {
      const fd = openSync(file, 'r');
      while (pos < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
        if (n <= 0) break;
        pos += n;
        tail = (tail + buf.toString('utf8', 0, n)).slice(-4096);
        if (tail.includes(marker)) {
          closeSync(fd);
          return pos;
        }
      }
      closeSync(fd);
    }
    await sleep(1);
  }
  return -1;
}

/** Runs the section: rows of the bench table (latency p50/p95 in ms, idle CPU in percent). */
export async function run(env = {}) {
  const log = env.log ?? console.log;
  if (spawnSync('tmux', ['-V']).status !== 0) {
    log('dashboard: skipped (tmux is not installed)');
    return [{ label: 'dashboard (tmux not installed)', value: 'skipped' }];
  }
  const root0 = env.repoRoot ?? repo;
  const cli = env.distCli ?? join(root0, 'dist', 'cli.js');
  if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root0, stdio: 'ignore' });
  const { ensureDemoRoot } = await import(pathToFileURL(join(dirname(cli), 'lib', 'demo', 'index.js')).href);
  const dir = mkdtempSync(join(env.tmpDir ?? tmpdir(), 'creditmeter-bench-dash-'));
  const socket = `creditmeter-bench-${process.pid}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  try {
    // A copy of the demo history (about three months, ~1,200 files), so appends leave the cache alone.
    const root = join(dir, 'claude');
    cpSync(await ensureDemoRoot(Date.now()), root, { recursive: true });
    const benchDir = join(root, 'projects', '-bench');
    mkdirSync(benchDir, { recursive: true });
    const transcript = join(benchDir, 'bench-session.jsonl');
    writeFileSync(transcript, `${requestLine(0, Date.now())}\n`);
    const db = join(dir, 'usage.db');
    const env = `CREDITMETER_CONFIG=${join(dir, 'none.json')} NO_COLOR=1`;
    // Catch up first without a terminal, so the dashboard starts live at once.
    execFileSync('node', [cli, 'ingest', '--claude-dir', root, '--db', db], {
      stdio: 'ignore',
      env: { ...process.env, CREDITMETER_CONFIG: join(dir, 'none.json') },
    });
    const stream = join(dir, 'pane.out');
    writeFileSync(stream, '');
    tmux(
      'new-session',
      '-d',
      '-s',
      'bench',
      '-x',
      '120',
      '-y',
      '40',
      `exec env ${env} node ${cli} --claude-dir ${root} --db ${db} --plan max5x`,
    );
    tmux('pipe-pane', '-o', '-t', 'bench', `cat >> ${stream}`);
    const pid = Number(tmux('list-panes', '-t', 'bench', '-F', '#{pane_pid}').trim());
    let offset = await waitForMarker(stream, 0, '● live', 60_000);
    if (offset < 0) throw new Error('the dashboard did not start');
    await sleep(1000);
    offset = statSync(stream).size;

    const latencies = [];
    let missed = 0;
    for (let i = 1; i <= APPENDS; i++) {
      const marker = `/bench/q${String(i).padStart(3, '0')}x`;
      const t0 = performance.now();
      appendFileSync(transcript, `${requestLine(i, Date.now())}\n`);
      const next = await waitForMarker(stream, offset, marker, 3000);
      if (next < 0) missed += 1;
      else {
        latencies.push(performance.now() - t0);
        offset = next;
      }
      await sleep(250);
    }
    latencies.sort((a, b) => a - b);

    await sleep(2000);
    const hz = clockTicks();
    const before = cpuTicks(pid);
    const t0 = performance.now();
    await sleep(IDLE_SECONDS * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const idleCpu = ((cpuTicks(pid) - before) / hz / seconds) * 100;

    tmux('send-keys', '-t', 'bench', 'q');
    const p50 = Math.round(percentile(latencies, 50));
    const p95 = Math.round(percentile(latencies, 95));
    const cpu = Math.round(idleCpu * 100) / 100;
    log(
      `dashboard: append-to-screen p50 ${p50} ms, p95 ${p95} ms over ${latencies.length}/${APPENDS} appends; idle CPU ${cpu}% over ${IDLE_SECONDS} s`,
    );
    return [
      { label: `append-to-screen p50 (${APPENDS} appends)`, value: p50, unit: 'ms' },
      { label: `append-to-screen p95 (${APPENDS} appends)`, value: p95, unit: 'ms', target: '< 250' },
      { label: 'appends never shown (3 s timeout)', value: missed, unit: '', target: '<= 0' },
      { label: `idle CPU over ${IDLE_SECONDS} s`, value: cpu, unit: '%', target: '< 1' },
    ];
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.table(await run());
}
