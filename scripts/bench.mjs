// `npm run bench`: generates (once, cached under .bench/) a >= 1 GB transcript tree, a denser 1 GB
// tree (about 600k lines, the shape the speed targets were set on) and a 700 MB single-file tree
// with the built generator, then runs every scripts/bench/*.mjs section in name
// order and prints one table (or JSON with --json).
//
// A section exports `async function run(env)` and returns rows `{ label, value, unit, target? }`.
// env = { repoRoot, distCli, tree1g, tree1gBytes, treeDense, treeDenseLines, file700, file700Bytes,
// tmpDir, runCli, log }.
// `runCli(args, { env, cwd, input, timeoutMs })` spawns the built CLI and resolves to
// `{ stdout, stderr, code, wallMs, peakRssMb }` (peak RSS of the child process).
//
// Flags: --json, --only NAME (run only sections whose file name contains NAME), --list.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const distCli = join(repoRoot, 'dist', 'cli.js');
const distGenerator = join(repoRoot, 'dist', 'lib', 'demo', 'generator.js');
const benchDir = join(repoRoot, '.bench');
const TREE_BYTES = 1.05e9;
const FILE_BYTES = 700e6;
const SEED = 4242;
/**
 * Sessions per day of the dense tree: about 600k lines and 115k requests in 1 GB (the default tree
 * has 229k lines and 43k requests), as the tree the speed targets were set on (580k lines).
 */
const DENSE_ACTIVITY = 9.4;
const RANGE = { startMs: Date.parse('2026-10-01T00:00:00Z'), endMs: Date.parse('2026-11-01T00:00:00Z') };

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '') : '';
const log = (...parts) => process.stderr.write(parts.join(' ') + '\n');

function ensureBuilt() {
  if (existsSync(distCli) && existsSync(distGenerator)) return;
  log('dist/ is missing: running npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(distGenerator)) {
    log(`npm run build did not produce ${distGenerator} (exit ${r.status}).`);
    process.exit(1);
  }
}

/** Generates a tree once; a later run reuses it when its manifest matches the wanted options. */
async function cachedTree(name, options) {
  const { generateHistory } = await import(pathToFileURL(distGenerator).href);
  const { GENERATOR_VERSION } = await import(pathToFileURL(join(repoRoot, 'dist', 'lib', 'demo', 'manifest.js')).href);
  const root = join(benchDir, name);
  const manifestPath = join(root, 'creditmeter-manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const same =
      m.generatorVersion === GENERATOR_VERSION &&
      m.seed === options.seed &&
      m.targetBytes === options.targetBytes &&
      m.startMs === options.startMs &&
      (options.activity === undefined || m.activity === options.activity);
    if (same) return { ...m, root };
  }
  log(`generating ${name} (${(options.targetBytes / 1e6).toFixed(0)} MB) under .bench/ ...`);
  // Build beside the cache and swap it in, so a concurrent bench run never reads a half tree.
  const building = `${root}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const m = await generateHistory({ ...options, outDir: building });
  rmSync(root, { recursive: true, force: true });
  renameSync(building, root);
  log(`  ${(m.bytes / 1e6).toFixed(0)} MB in ${(m.durationMs / 1000).toFixed(1)} s`);
  return { ...m, root };
}

/** Peak RSS (MB) of a running process, polled from /proc (fallback when /usr/bin/time is absent). */
function pollPeak(pid, state) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    if (kb > state.peakKb) state.peakKb = kb;
  } catch {
    // the process has exited
  }
}

const hasTime = existsSync('/usr/bin/time');

/** Spawns the built CLI with `args`; resolves with its output, exit code, wall time and peak RSS. */
function runCli(cliArgs, { env = {}, cwd = repoRoot, input, timeoutMs = 600_000 } = {}) {
  return new Promise((resolvePromise) => {
    const command = hasTime ? '/usr/bin/time' : process.execPath;
    const argv = hasTime ? ['-f', '__PEAK_KB__ %M', process.execPath, distCli, ...cliArgs] : [distCli, ...cliArgs];
    const started = performance.now();
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const state = { peakKb: 0 };
    const poll = hasTime ? null : setInterval(() => pollPeak(child.pid, state), 20);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const m = /__PEAK_KB__ (\d+)\s*$/.exec(stderr);
      if (m) {
        state.peakKb = Number(m[1]);
        stderr = stderr.slice(0, m.index);
      }
      resolvePromise({ stdout, stderr, code, wallMs, peakRssMb: state.peakKb / 1024 });
    });
  });
}

function formatValue(value) {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Whether a numeric value meets a target written as "< 300", "<= 1.1", "> 900" or a number (upper bound). */
function meets(value, target) {
  if (target === undefined || typeof value !== 'number') return '';
  const m = /^\s*(<=|>=|<|>)?\s*([\d.]+)/.exec(String(target));
  if (!m) return '';
  const bound = Number(m[2]);
  const op = m[1] ?? '<=';
  const ok = op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : value >= bound;
  return ok ? 'ok' : 'MISSED';
}

function printTable(results) {
  const rows = [['section', 'measure', 'value', 'unit', 'target', '']];
  for (const r of results) {
    if (r.error) rows.push([r.name, 'FAILED', r.error, '', '', '']);
    for (const row of r.rows)
      rows.push([
        r.name,
        row.label,
        formatValue(row.value),
        row.unit ?? '',
        row.target === undefined ? '' : String(row.target),
        meets(row.value, row.target),
      ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main() {
  const sectionDir = join(repoRoot, 'scripts', 'bench');
  const sections = readdirSync(sectionDir)
    .filter((f) => f.endsWith('.mjs') && f.includes(only))
    .sort();
  if (args.includes('--list')) {
    console.log(sections.join('\n'));
    return;
  }
  ensureBuilt();
  mkdirSync(benchDir, { recursive: true });
  const tree = await cachedTree('tree-1g', { seed: SEED, ...RANGE, targetBytes: TREE_BYTES });
  const dense = await cachedTree('tree-1g-dense', {
    seed: SEED,
    ...RANGE,
    targetBytes: TREE_BYTES,
    activity: DENSE_ACTIVITY,
  });
  const file = await cachedTree('file-700m', { seed: SEED, ...RANGE, targetBytes: FILE_BYTES, singleFile: true });
  const tmpDir = mkdtempSync(join(benchDir, 'tmp-'));
  const env = {
    repoRoot,
    distCli,
    tree1g: tree.root,
    tree1gBytes: tree.bytes,
    treeDense: dense.root,
    treeDenseLines: dense.lines,
    file700: file.root,
    file700Bytes: file.bytes,
    tmpDir,
    runCli,
    log,
  };
  const results = [];
  try {
    for (const section of sections) {
      const name = section.replace(/\.mjs$/, '');
      log(`running ${name} ...`);
      try {
        const mod = await import(pathToFileURL(join(sectionDir, section)).href);
        const rows = (await mod.run(env)) ?? [];
        results.push({ name, rows });
      } catch (err) {
        results.push({ name, rows: [], error: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  if (json)
    console.log(JSON.stringify({ tree1gBytes: tree.bytes, file700Bytes: file.bytes, sections: results }, null, 1));
  else printTable(results);
}

await main();
