/**
 * The generated-history API: the generator, its ground-truth manifest, the fixture and demo roots.
 */
export { generateHistory, OutDirInUseError } from './generator.js';
export type { GenerateOptions, GenerationManifest } from './manifest.js';
export { formatManifest, GENERATOR_VERSION, MANIFEST_FILE } from './manifest.js';
export type { TokenTotals } from './truth.js';
export { FIXTURE_HISTORY, FIXTURE_SEED, DEMO_SEED, demoHistoryOptions } from './fixture.js';
export { ensureDemoRoot, demoCacheDir, userTempDir } from './demo-root.js';
