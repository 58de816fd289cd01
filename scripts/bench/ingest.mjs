// Ingest benchmark: `creditmeter ingest` of the built CLI on the cached >= 1 GB tree (cold, then a
// second run with nothing new) and on the 700 MB single-file tree, with peak RSS; the stored request
// count is checked against the generator's manifest. Wall times include Node's start-up.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MB = 1e6;

/** Runs `creditmeter ingest --json` on `root` into `db`; returns the run and its parsed summary. */
async function ingest(env, root, db, config) {
  const r = await env.runCli(['ingest', '--json', '--claude-dir', root, '--db', db, '--config', config]);
  if (r.code !== 0) throw new Error(`ingest exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
  return { ...r, summary: JSON.parse(r.stdout) };
}

function manifestRequests(root) {
  return JSON.parse(readFileSync(join(root, 'creditmeter-manifest.json'), 'utf8')).requests;
}

async function measure(env, name, root, bytes, config) {
  const db = join(env.tmpDir, `ingest-${name}.db`);
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const cold = await ingest(env, root, db, config);
  const again = await ingest(env, root, db, config);
  const stored = cold.summary.store.requests;
  const expected = manifestRequests(root);
  if (stored !== expected) env.log(`  ${name}: stored ${stored} requests, the manifest says ${expected}`);
  return [
    // Its target is a ratio to ccusage re-parsing the same tree in the same run: the speed section.
    { label: `${name}: cold ingest`, value: cold.wallMs / 1000, unit: 's' },
    { label: `${name}: cold ingest throughput`, value: bytes / MB / (cold.wallMs / 1000), unit: 'MB/s' },
    { label: `${name}: cold ingest in-process (no Node start-up)`, value: cold.summary.durationMs / 1000, unit: 's' },
    { label: `${name}: cold ingest peak RSS`, value: cold.peakRssMb, unit: 'MB', target: '< 300' },
    { label: `${name}: nothing-new run`, value: again.wallMs, unit: 'ms', target: '< 300' },
    { label: `${name}: nothing-new run in-process`, value: again.summary.durationMs, unit: 'ms' },
    {
      label: `${name}: requests stored = manifest`,
      value: stored === expected ? 'yes' : `no (${stored} vs ${expected})`,
    },
  ];
}

export async function run(env) {
  const config = join(env.tmpDir, 'ingest-bench-config.json');
  writeFileSync(config, '{}');
  return [
    ...(await measure(env, 'tree-1g', env.tree1g, env.tree1gBytes, config)),
    ...(await measure(env, 'file-700m', env.file700, env.file700Bytes, config)),
  ];
}
