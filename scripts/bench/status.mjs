// Status benchmark: `creditmeter status --json` latency on the store built from the 1 GB generated
// tree when nothing new has been written (the catch-up finds no new bytes), end to end through the
// built CLI, plus the in-process cost of buildStatus (store queries and the forecast) alone. The
// wall time is stated as a ratio to the floor of any Node command (`node -e 0`), timed the same way
// in the same rounds: this machine's absolute times move by a third from one day to the next.
// Section of `npm run bench` (scripts/bench.mjs): exports run(env) returning table rows.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = 9;
const NOW = '2026-10-25T12:00:00Z';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times status on the 1 GB store; the store is filled first by one cold ingest (timed by the ingest section). */
export async function run(env) {
  const db = join(env.tmpDir, 'status-bench.db');
  const config = join(env.tmpDir, 'status-bench-config.json');
  writeFileSync(config, '{}');
  const common = ['--claude-dir', env.tree1g, '--db', db, '--config', config];
  env.log('  filling the store from the 1 GB tree ...');
  const fill = await env.runCli(['ingest', ...common]);
  if (fill.code !== 0) throw new Error(`ingest failed (exit ${fill.code}): ${fill.stderr.trim().split('\n')[0]}`);

  const args = ['status', '--json', ...common, '--plan', 'max5x', '--tz', 'America/New_York', '--now', NOW];
  const first = await env.runCli(args);
  if (first.code !== 0) throw new Error(`status failed (exit ${first.code}): ${first.stderr.trim().split('\n')[0]}`);
  const report = JSON.parse(first.stdout);
  const peak = (await env.runCli(args)).peakRssMb;
  // Interleaved with the floor, each spawned the same way (no /usr/bin/time in front).
  const cli = join(env.repoRoot, 'dist', 'cli.js');
  const wall = (argv) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, argv, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    return performance.now() - t;
  };
  const walls = [];
  const floors = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(wall(['-e', '0']));
    walls.push(wall([cli, ...args]));
  }

  // In-process: the same report without process start-up and module loading.
  const load = (p) => import(pathToFileURL(join(env.repoRoot, 'dist', 'lib', p)).href);
  const { openDatabase } = await load('store/database.js');
  const { buildStatus } = await load('services/status.js');
  const store = openDatabase(db, { readonly: true });
  const plan = {
    plan: 'max5x',
    seats: 1,
    credit: 100,
    cycleStartDay: 1,
    tz: 'America/New_York',
    usageCredits: false,
    overageCap: null,
    countUnknown: false,
    assumed: false,
  };
  const { forecastCycle, DEFAULT_FORECAST } = await load('domain/forecast.js');
  const { spendBuckets, firstRequestTs } = await load('store/cycle-queries.js');
  const { cycleAt } = await load('domain/cycle.js');
  const inProc = [];
  const forecastMs = [];
  const bucketMs = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      buildStatus(store, plan, 'bench', Date.parse(NOW));
      inProc.push(performance.now() - t);
    }
    // The forecast alone, on the same inputs status gives it: its bucket query, then the simulation.
    const nowMs = Date.parse(NOW);
    const cycle = cycleAt(nowMs, plan.cycleStartDay, plan.tz);
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const buckets = spendBuckets(
        store,
        ['programmatic'],
        nowMs - (DEFAULT_FORECAST.lookbackDays + 2) * 86_400_000,
        nowMs,
      );
      const dataStartMs = firstRequestTs(store);
      const t1 = performance.now();
      forecastCycle({
        cycle,
        nowMs,
        tz: plan.tz,
        spentSoFar: report.credit.used,
        buckets,
        dataStartMs,
        credit: plan.credit,
        exhaustedAtMs: null,
      });
      forecastMs.push(performance.now() - t1);
      bucketMs.push(t1 - t0);
    }
  } finally {
    store.close();
  }
  const requests = report.programmatic.requests + report.interactive.requests + report.unknown.requests;
  return [
    {
      label: `status --json, nothing new, exhausted cycle, --tz (median of ${RUNS})`,
      value: median(walls),
      unit: 'ms',
    },
    { label: `node -e 0, the floor, in the same rounds (median)`, value: median(floors), unit: 'ms' },
    {
      label: 'status --json, nothing new, exhausted cycle, --tz ÷ floor',
      value: median(walls) / median(floors),
      unit: 'x',
      target: '<= 1.6',
    },
    { label: 'status --json, slowest run', value: Math.max(...walls), unit: 'ms' },
    { label: 'status peak RSS', value: peak, unit: 'MB' },
    { label: 'buildStatus in-process (median)', value: median(inProc), unit: 'ms' },
    { label: 'forecast: simulation (median)', value: median(forecastMs), unit: 'ms', target: '< 30' },
    { label: 'forecast: its spend-bucket query (median)', value: median(bucketMs), unit: 'ms' },
    { label: 'requests in the cycle', value: requests, unit: '' },
  ];
}
