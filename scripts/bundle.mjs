// Bundles the command-line entry into dist/cli.js (over tsc's copy) with the code it loads on
// demand in dist/chunks/ (one chunk per command, plus shared ones) and the scan worker beside
// them, so a command's start-up reads a few files instead of resolving dozens of modules.
// Packages stay external. Runs after tsc (npm run build); tsc's other files in dist/ stay for the
// fixtures script and the benchmarks.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist`;
rmSync(`${out}/chunks`, { recursive: true, force: true });
/** What both builds share. */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages inside an ES bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
  },
  // React and Ink ship development builds behind NODE_ENV; the binary runs the production ones.
  define: { 'process.env.NODE_ENV': '"production"' },
  // Less for V8 to scan on every start; function names stay (the benchmark's profile reads them).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  legalComments: 'eof',
};

await build({
  ...common,
  // The worker pool starts `./scan-worker.js` beside its own module, which lands in a chunk.
  entryPoints: {
    cli: 'src/cli.ts',
    'chunks/scan-worker': 'src/ingest/scan-worker.ts',
  },
  outdir: out,
  splitting: true,
  // Packages are bundled too (Ink alone is ~100 modules, several of them CommonJS that Node would
  // scan for exports on every start), except the native SQLite binding and development-only tools.
  external: ['better-sqlite3', 'react-devtools-core'],
  chunkNames: 'chunks/[name]-[hash]',
});

// The status line's fast path, its drawing code (loaded on a miss), `ingest`'s nothing-new path, and
// `ingest`, `report` and `status` (command-main), each as one file with a fixed name (no chunks to
// load): the status line's file imports the drawing code beside it.
await build({
  ...common,
  entryPoints: {
    'chunks/statusline-main': 'src/statusline-main.ts',
    'chunks/ingest-fast': 'src/commands/ingest-fast.ts',
    'chunks/command-main': 'src/command-main.ts',
    'chunks/statusline-draw': 'src/commands/statusline-draw.ts',
  },
  outdir: out,
  splitting: false,
  external: ['better-sqlite3'],
  plugins: [
    {
      name: 'statusline-draw-beside',
      setup(b) {
        b.onResolve({ filter: /\/statusline-draw\.js$/ }, () => ({ path: './statusline-draw.js', external: true }));
      },
    },
  ],
});
chmodSync(`${out}/cli.js`, 0o755);
