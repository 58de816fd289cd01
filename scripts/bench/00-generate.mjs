// Generator benchmark: throughput of the built history generator on a fresh 200 MB tree, and the
// sizes of the cached trees the other sections read.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BYTES = 200e6;

export async function run(env) {
  const { generateHistory } = await import(
    pathToFileURL(join(env.repoRoot, 'dist', 'lib', 'demo', 'generator.js')).href
  );
  const outDir = join(env.tmpDir, 'generate-bench');
  const m = await generateHistory({
    outDir,
    seed: 99,
    startMs: Date.parse('2026-10-01T00:00:00Z'),
    endMs: Date.parse('2026-11-01T00:00:00Z'),
    targetBytes: BYTES,
  });
  rmSync(outDir, { recursive: true, force: true });
  return [
    { label: 'generator throughput (200 MB tree)', value: m.bytes / 1e6 / (m.durationMs / 1000), unit: 'MB/s' },
    { label: 'generator 200 MB tree', value: m.durationMs / 1000, unit: 's' },
    { label: 'cached tree size (tree-1g)', value: env.tree1gBytes / 1e6, unit: 'MB', target: '>= 1000' },
    { label: 'cached single file size (file-700m)', value: env.file700Bytes / 1e6, unit: 'MB', target: '>= 700' },
  ];
}
