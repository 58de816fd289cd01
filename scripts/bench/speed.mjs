// Speed as users feel it, as ratios to references measured in the same run (absolute times on a
// shared machine move by a third from one day to the next; ratios do not):
// - the floor of any Node command (`node -e 0`) for the nothing-new `ingest`, `status --json` and
//   `statusline` on the store of the 1 GB tree, runs interleaved so both see the same noise; and
//   for `ingest` and `status` on a part of that tree of the size the targets were set on (~1,069 files);
// - the peer, ccusage 20 re-parsing the same tree (`ccusage claude daily --json --offline`), for
//   the cold `ingest` (best of 3 each), with peak RSS; on the 1 GB tree and on the dense one;
// - the dashboard's first frame from its process start, read from its own pseudo-terminal (and, for
//   comparison, from a tmux pane polled with capture-pane);
// - where the cold read's CPU time goes, from V8 profiles of the main thread and the scan workers.
// Section of `npm run bench` (scripts/bench.mjs): exports run(env) returning table rows.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROUNDS = 11;
const COLD_RUNS = 3;
const hasTime = existsSync('/usr/bin/time');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The dashboard's first frame read straight from its terminal: `script` (util-linux) gives it a
 * 120x40 pseudo-terminal, the shell there writes the clock just before it execs node, and the
 * frame counts as drawn when its header arrives on the terminal. Nothing polls, so nothing takes
 * CPU from the dashboard while it starts. Each run quits (q) and is waited for. Null without `script`.
 */
async function firstFramesOnPty(command, stamp, runs) {
  if (spawnSync('script', ['--version']).status !== 0) return null;
  const out = [];
  for (let i = 0; i < runs; i++) {
    rmSync(stamp, { force: true });
    const ms = await new Promise((resolve) => {
      const child = spawn(
        'script',
        ['-qfec', `stty cols 120 rows 40; date +%s%3N > ${stamp}; exec ${command}`, '/dev/null'],
        {
          stdio: ['pipe', 'pipe', 'ignore'],
        },
      );
      let text = '';
      let shown = null;
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.stdout.on('data', (d) => {
        text += d.toString('utf8');
        if (shown === null && text.includes('creditmeter ·')) {
          shown = Date.now();
          child.stdin.write('q');
        }
      });
      child.on('exit', () => {
        clearTimeout(kill);
        resolve(shown !== null && existsSync(stamp) ? shown - Number(readFileSync(stamp, 'utf8').trim()) : null);
      });
    });
    if (ms !== null) out.push(ms);
  }
  return out.length > 0 ? out : null;
}

/**
 * A smaller tree made of whole projects of `tree` (hard links, no copies), in name order, up to
 * `maxFiles` transcripts; rebuilt each run.
 */
function partOfTree(tree, out, maxFiles) {
  rmSync(out, { recursive: true, force: true });
  let files = 0;
  const linkAll = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) linkAll(join(from, e.name), join(to, e.name));
      else if (e.isFile()) linkSync(join(from, e.name), join(to, e.name));
    }
  };
  const count = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (n, e) => n + (e.isDirectory() ? count(join(dir, e.name)) : e.name.endsWith('.jsonl') ? 1 : 0),
      0,
    );
  for (const project of readdirSync(join(tree, 'projects')).sort()) {
    const n = count(join(tree, 'projects', project));
    if (files + n > maxFiles) continue;
    linkAll(join(tree, 'projects', project), join(out, 'projects', project));
    files += n;
  }
  return { root: out, files };
}

/**
 * Runs each case once (to warm the page cache and the kept files), then ROUNDS rounds of all of
 * them in turn, so they all see the same noise; wall times by case name. A command that fails
 * (the floor aside) ends the section.
 */
function interleaved(cases) {
  const walls = new Map(cases.map((c) => [c.name, []]));
  for (const c of cases) c.run();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const r = c.run();
      if (r.code !== 0 && c.name !== 'floor') throw new Error(`${c.name} exited ${r.code}: ${r.stderr.split('\n')[0]}`);
      walls.get(c.name).push(r.wallMs);
    }
  }
  return walls;
}

/** Runs a command to completion; wall ms and peak RSS (MB, when /usr/bin/time exists). */
function timed(cmd, args, { env = {}, input } = {}) {
  const argv = hasTime ? ['-f', '__PEAK_KB__ %M', cmd, ...args] : args;
  const t = performance.now();
  const r = spawnSync(hasTime ? '/usr/bin/time' : cmd, argv, {
    env: { ...process.env, NO_COLOR: '1', ...env },
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - t;
  let stderr = r.stderr ?? '';
  let peakMb = 0;
  const m = /__PEAK_KB__ (\d+)\s*$/.exec(stderr);
  if (m) {
    peakMb = Number(m[1]) / 1024;
    stderr = stderr.slice(0, m.index);
  }
  return { code: r.status, stdout: r.stdout ?? '', stderr, wallMs, peakMb };
}

/** The ccusage binary: $CCUSAGE, one on PATH, or one installed under .bench/peer (installed once). */
function findPeer(benchDir, log) {
  const candidates = [process.env.CCUSAGE, join(benchDir, 'peer', 'node_modules', '.bin', 'ccusage')];
  const onPath = spawnSync('sh', ['-c', 'command -v ccusage'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.splice(1, 0, onPath);
  const works = (bin) =>
    bin && existsSync(bin) && spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  for (const c of candidates) if (works(c)) return c;
  // The newest 20.x may be published before its native binary for this platform: try a few.
  for (const version of ['20', '20.0.24']) {
    log(`  installing ccusage@${version} under .bench/peer for the side-by-side read ...`);
    const dir = join(benchDir, 'peer');
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `ccusage@${version}`], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    const bin = join(dir, 'node_modules', '.bin', 'ccusage');
    if (r.status === 0 && works(bin)) return bin;
  }
  return null;
}

/** Stage of a profiled function, by name and script. */
function stageOf(fn, url) {
  const file = url.split('/').pop() ?? '';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)' || fn === '(program)') return 'idle / waiting';
  if (/JSON\.parse|^parse$/.test(fn) && !file) return 'JSON.parse of billable lines';
  if (/parseCleanLine|parseLine|parseObject|fromMessage|toRecord|usageOf|readUsage|parseUsage|plausibleTs/.test(fn))
    return 'JSON.parse of billable lines';
  if (/tailHash|sampleHash|hashHead|headHash/.test(fn)) return 'hashing file heads and samples';
  if (/utf8Slice|toString|decode/.test(fn)) return 'decoding bytes to text';
  // The cold read runs one WebAssembly function: the needle search (src/ingest/scan-needles.wat).
  if (
    /indexOf|readLines|hasPair|lineSignals|stringValues|findSession|hasPromptSdk|sdkPairAmong|^wasm-function/.test(fn)
  )
    return 'newline and signal scan';
  if (/^read(Sync)?$|readSync|openSync|closeSync|^open$|^close$/.test(fn)) return 'file reads';
  if (/mergeCopies|countOutcome|handleLine/.test(fn)) return 'merging copies';
  if (/^(store|ensure|applyRead|applyBatch|writeBatch|insertRow|reclassifySessions|restoreRequestIndexes)$/.test(fn))
    return 'pricing and SQLite writes';
  if (
    /postMessage|serialize|deserialize|packRecords|unpackRecords|encodeRecords|decodeRecords|onmessage|emitMessage|structuredClone/i.test(
      fn,
    )
  )
    return 'handing records between threads';
  if (/better-sqlite3|transaction|writeBatch|applyBatch|^run$|^get$|^all$|bulk|price|index/i.test(fn + ' ' + url))
    return 'pricing and SQLite writes';
  if (!url || url.startsWith('node:')) return 'Node runtime (start-up, module loading, other)';
  return 'other creditmeter code';
}

/**
 * Calls whose callees belong to their stage whatever their names: better-sqlite3 is bundled into
 * the file that writes (its functions are then named `exec`, `close` or nothing), and node:crypto
 * hashes for the file bookkeeping.
 */
const ENCLOSING = [
  [/^(writeTransaction|writeBatch|endBulk|restoreRequestIndexes|deferRequestIndexes)$/, 'pricing and SQLite writes'],
  [/^(tailHash|sampleHashOf|sampleHash|hashHead|headHash)$/, 'hashing file heads and samples'],
];

/** The stage of a profile node: its own, or that of an enclosing call (ENCLOSING) for generic code. */
function nodeStage(n, parentOf) {
  const own = stageOf(n.callFrame.functionName, n.callFrame.url);
  if (own !== 'other creditmeter code' && own !== 'Node runtime (start-up, module loading, other)') return own;
  for (let up = parentOf.get(n.id); up !== undefined; up = parentOf.get(up.id)) {
    for (const [re, stage] of ENCLOSING) if (re.test(up.callFrame.functionName)) return stage;
  }
  return own;
}

/** Self time per stage over every profile in `dir` (main thread and workers together). */
function profileShares(dir) {
  const byStage = new Map();
  let total = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parentOf = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parentOf.set(c, n);
    const stages = new Map();
    p.samples.forEach((id, i) => {
      const dt = p.timeDeltas[i] ?? 0;
      const n = nodes.get(id);
      let stage = stages.get(id);
      if (stage === undefined) stages.set(id, (stage = nodeStage(n, parentOf)));
      if (stage === 'idle / waiting') return;
      byStage.set(stage, (byStage.get(stage) ?? 0) + dt);
      total += dt;
    });
  }
  return [...byStage].sort((a, b) => b[1] - a[1]).map(([stage, us]) => ({ stage, ms: us / 1000, share: us / total }));
}

/**
 * Best of COLD_RUNS cold reads of `root` into a fresh store, beside the peer re-parsing it (best of
 * COLD_RUNS), with the peak RSS of both.
 */
function coldRead({ node, cli, peer, root, db, config, label }) {
  const rows = [];
  const cold = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
    const r = timed(node, [cli, 'ingest', '--claude-dir', root, '--db', db, '--config', config]);
    if (r.code !== 0) throw new Error(`cold ingest exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
    cold.push(r);
  }
  const best = cold.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const peakRss = Math.max(...cold.map((r) => r.peakMb));
  rows.push({ label: `cold ingest of ${label} (best of ${COLD_RUNS})`, value: best.wallMs, unit: 'ms' });
  if (peer) {
    const runs = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      runs.push(timed(peer, ['claude', 'daily', '--json', '--offline'], { env: { CLAUDE_CONFIG_DIR: root } }));
    }
    const peerBest = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    rows.push({ label: `ccusage 20 re-parsing it (best of ${COLD_RUNS})`, value: peerBest.wallMs, unit: 'ms' });
    rows.push({ label: 'cold ingest ÷ ccusage', value: best.wallMs / peerBest.wallMs, unit: 'x', target: '<= 1.0' });
    rows.push({ label: 'ccusage peak RSS', value: peerBest.peakMb, unit: 'MB' });
  } else {
    rows.push({ label: 'ccusage 20', value: 'not installed and not installable here' });
  }
  rows.push({ label: `cold ingest peak RSS (worst of ${COLD_RUNS})`, value: peakRss, unit: 'MB', target: '< 250' });
  return rows;
}

export async function run(env) {
  const node = process.execPath;
  const cli = env.distCli;
  const benchDir = join(env.repoRoot, '.bench');
  const config = join(env.tmpDir, 'speed-config.json');
  writeFileSync(config, '{}');
  const db = join(env.tmpDir, 'speed.db');
  const common = ['--claude-dir', env.tree1g, '--db', db, '--config', config];
  const rows = [];

  // Cold read: ours (fresh store each time) against the peer re-parsing the same tree; then the
  // denser tree, whose many more requests per byte weigh on parsing and writing.
  const peer = findPeer(benchDir, env.log);
  rows.push(...coldRead({ node, cli, peer, root: env.tree1g, db, config, label: 'the 1 GB tree' }));
  if (env.treeDense) {
    const denseDb = join(env.tmpDir, 'speed-dense.db');
    const label = `the dense 1 GB tree (${Math.round(env.treeDenseLines / 1000)}k lines)`;
    rows.push(...coldRead({ node, cli, peer, root: env.treeDense, db: denseDb, config, label }));
    for (const s of ['', '-wal', '-shm']) rmSync(denseDb + s, { force: true });
  }
  // The store of the 1 GB tree, read once more after the dense tree's reads, as a user's would be.
  timed(node, [cli, 'ingest', ...common]);

  // Start-up bound commands on that store, interleaved with the floor.
  const line = readdirSync(join(env.tree1g, 'projects'))
    .map((d) => join(env.tree1g, 'projects', d))
    .flatMap((d) => readdirSync(d).map((f) => join(d, f)))
    .find((f) => f.endsWith('.jsonl'));
  const hook = JSON.stringify({ session_id: 'bench', transcript_path: line, cost: { total_cost_usd: 0.5 } });
  const cases = [
    { name: 'floor', run: () => timed(node, ['-e', '0']) },
    { name: 'ingest', run: () => timed(node, [cli, 'ingest', ...common]), target: '<= 1.5' },
    { name: 'status', run: () => timed(node, [cli, 'status', '--json', ...common]), target: '<= 1.6' },
    // A named zone, as on most machines (a TZ, a tz setting, a system zone other than UTC).
    {
      name: 'statusZoned',
      run: () => timed(node, [cli, 'status', '--json', '--tz', 'America/New_York', ...common]),
      target: '<= 1.6',
    },
    { name: 'statusline', run: () => timed(node, [cli, 'statusline', ...common], { input: hook }), target: '<= 1.3' },
    // Without the paths a `status` kept (store/paths-memo.ts): its forecast draws them anew, as
    // the first `status` of each quarter hour or after new spend does.
    {
      name: 'statusDrawn',
      run: () => {
        // The kept paths set aside for this run and put back after it, for the runs above.
        const kept = `${db}-paths.bin`;
        if (existsSync(kept)) renameSync(kept, `${kept}.aside`);
        try {
          return timed(node, [cli, 'status', '--json', ...common]);
        } finally {
          if (existsSync(`${kept}.aside`)) renameSync(`${kept}.aside`, kept);
          else rmSync(kept, { force: true });
        }
      },
    },
  ];
  const walls = interleaved(cases);
  const floor = median(walls.get('floor'));
  rows.push({ label: `node -e 0, the floor (median of ${ROUNDS})`, value: floor, unit: 'ms' });
  const labels = {
    ingest: 'ingest, nothing new',
    status: 'status --json, nothing new',
    statusZoned: 'status --json --tz America/New_York, nothing new',
    statusline: 'statusline (as Claude Code runs it)',
    statusDrawn: 'status --json, nothing new, its forecast drawn anew',
  };
  for (const c of cases.slice(1)) {
    const m = median(walls.get(c.name));
    rows.push({ label: `${labels[c.name]} (median)`, value: m, unit: 'ms' });
    rows.push({ label: `${labels[c.name]} ÷ floor`, value: m / floor, unit: 'x', target: c.target });
  }

  // The same on a tree of the size the targets were set on (about 1,069 files): whole projects of
  // the 1 GB tree, hard-linked, up to 1,100 files. Its own store, caught up twice first.
  const part = partOfTree(env.tree1g, join(env.tmpDir, 'tree-part'), 1_100);
  const partDb = join(env.tmpDir, 'speed-part.db');
  for (const s of ['', '-wal', '-shm', '-ingest.snapshot', '-dirs.json', '-buckets.json', '-paths.bin'])
    rmSync(partDb + s, { force: true });
  const partCommon = ['--claude-dir', part.root, '--db', partDb, '--config', config];
  for (let i = 0; i < 2; i++) timed(node, [cli, 'ingest', ...partCommon]);
  const partCases = [
    cases[0],
    { name: 'ingest', run: () => timed(node, [cli, 'ingest', ...partCommon]), target: '<= 1.5' },
    { name: 'status', run: () => timed(node, [cli, 'status', '--json', ...partCommon]), target: '<= 1.6' },
  ];
  const partWalls = interleaved(partCases);
  const partFloor = median(partWalls.get('floor'));
  for (const c of partCases.slice(1)) {
    rows.push({
      label: `${labels[c.name]}, ${part.files.toLocaleString('en-US')}-file part of the tree ÷ floor`,
      value: median(partWalls.get(c.name)) / partFloor,
      unit: 'x',
      target: c.target,
    });
  }

  // The dashboard's first frame on that store, read from its own terminal (see firstFramesOnPty).
  const onPty = await firstFramesOnPty(
    `env NO_COLOR=1 ${node} ${cli} ${common.join(' ')}`,
    join(env.tmpDir, 'frame-start-pty'),
    9,
  );
  if (onPty !== null)
    rows.push({
      label: 'dashboard first frame on the 1 GB store, from process start (median of 9)',
      value: median(onPty),
      unit: 'ms',
      target: '< 300',
    });
  // The same in tmux (120x40), its pane polled with capture-pane as fast as it answers: from the
  // start of the process (the shell inside tmux writes the clock just before it execs node) and from
  // before tmux's own start. The polling itself takes one of the 2 cores while the dashboard starts.
  if (spawnSync('tmux', ['-V']).status === 0) {
    const socket = `creditmeter-speed-${process.pid}`;
    const tmux = (...a) => spawnSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
    const stamp = join(env.tmpDir, 'frame-start');
    const fromStart = [];
    const fromTmux = [];
    for (let i = 0; i < 7; i++) {
      rmSync(stamp, { force: true });
      const t = performance.now();
      const wall = Date.now();
      tmux(
        'new-session',
        '-d',
        '-s',
        'f',
        '-x',
        '120',
        '-y',
        '40',
        `date +%s%3N > ${stamp}; exec env NO_COLOR=1 ${node} ${cli} ${common.join(' ')}`,
      );
      let shown = null;
      while (performance.now() - t < 10_000) {
        if (/creditmeter ·/.test(tmux('capture-pane', '-p', '-t', 'f').stdout ?? '')) {
          shown = performance.now() - t;
          break;
        }
      }
      tmux('kill-server');
      if (shown === null || !existsSync(stamp)) continue;
      fromTmux.push(shown);
      fromStart.push(wall + shown - Number(readFileSync(stamp, 'utf8').trim()));
    }
    if (fromStart.length > 0) {
      rows.push({
        label: 'the same in tmux polled by capture-pane, from process start (median of 7)',
        value: median(fromStart),
        unit: 'ms',
        ...(onPty === null ? { target: '< 300' } : {}),
      });
      rows.push({
        label: 'the same in tmux, from before tmux starts the pane (median of 7)',
        value: median(fromTmux),
        unit: 'ms',
      });
    }
  }

  // Where the cold read's CPU goes (profiles of every thread; the profiler slows it a little).
  const profDir = join(env.tmpDir, 'profile');
  rmSync(profDir, { recursive: true, force: true });
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const prof = timed(node, ['--cpu-prof', '--cpu-prof-dir', profDir, cli, 'ingest', ...common]);
  if (prof.code === 0) {
    for (const s of profileShares(profDir)) {
      rows.push({
        label: `cold read CPU: ${s.stage}`,
        value: `${(s.share * 100).toFixed(0)}% (${s.ms.toFixed(0)} ms)`,
      });
    }
  }
  return rows;
}
