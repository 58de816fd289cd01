// Bundles the command-line entry and the code it loads on demand (scripts run by `npm run build`,
// after tsc has compiled src/ to dist/lib/ for the fixtures script and the benchmarks):
//
// - dist/cli.js, the binary: a CommonJS file (dist/package.json says so), because Node starts a
//   CommonJS main module sooner than an ES module one.
// - dist/chunks/statusline-main.cjs, ingest-fast.cjs, command-main.cjs, statusline-draw.cjs and
//   dashboard-main.cjs: the status line, `ingest` with nothing new, `ingest` / `report` / `status`,
//   the status line's drawing code (loaded on a miss) and the dashboard. Each is one CommonJS file
//   loaded with require() and V8's code cache: no chunks to load, and Node's ES module loader never
//   starts on the paths that run most often. Beside them, scan-worker.cjs, the cold read's worker
//   thread, also one CommonJS file (loaded by Node itself, without the code cache).
// - dist/chunks/program.js with the chunks it shares: every other command, one chunk per command
//   (ES modules; dist/chunks/package.json says so).
//
// Packages are bundled too (Ink alone is ~100 modules, several of them CommonJS that Node would scan
// for exports on every start), except the native SQLite binding and development-only tools.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MODULE_WRAPPER } from '../dist/lib/cli/code-cache.js';
import { digest64 } from '../dist/lib/domain/digest.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist`;
rmSync(`${out}/chunks`, { recursive: true, force: true });
/** What every build shares. */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  outdir: out,
  // React and Ink ship development builds behind NODE_ENV; the binary runs the production ones.
  // The bundled price table's digest (app/ingest-snapshot.ts), computed once here: hashing its
  // 10 KB text took ~1.5 ms of every start that asks the snapshot.
  define: {
    'process.env.NODE_ENV': '"production"',
    CREDITMETER_BUNDLED_PRICES_DIGEST: JSON.stringify(
      digest64(JSON.stringify(JSON.parse(readFileSync(`${root}src/domain/bundled-prices.json`, 'utf8')))),
    ),
  },
  // Less for V8 to scan on every start; function names stay (the benchmark's profile reads them).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  legalComments: 'eof',
};
/** ES module builds: CommonJS packages inside them still call require() for Node's own modules. */
const esm = {
  ...common,
  format: 'esm',
  banner: {
    js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
  },
};
/** CommonJS builds: `import.meta.url` (the version's package.json, the SQLite loader) is the file's URL. */
const cjs = {
  ...common,
  format: 'cjs',
  banner: { js: "const __cmImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { ...common.define, 'import.meta.url': '__cmImportMetaUrl' },
};
/**
 * A plugin that edits, as they are bundled, the files `filter` matches: each [from, to] pair must
 * occur exactly once in the file, or the build stops and says so (the package changed under the
 * edit); with `optional`, such a file is bundled as it is instead.
 */
function sourceEdit(name, edits) {
  return {
    name,
    setup(b) {
      for (const { filter, replace, loader = 'js', optional = false } of edits) {
        b.onLoad({ filter }, async (args) => {
          let source = await readFile(args.path, 'utf8');
          for (const [from, to] of replace) {
            if (source.split(from).length !== 2) {
              if (optional) return undefined;
              throw new Error(
                `${args.path}: not the source the build's ${name} edit expects; update scripts/bundle.mjs`,
              );
            }
            source = source.replace(from, to);
          }
          return { contents: source, loader };
        });
      }
    },
  };
}
/**
 * Commander requires `child_process` when it loads, for subcommands run as separate executables,
 * which creditmeter has none of; that module and what it pulls in (net, dgram, streams) cost a
 * few milliseconds of every start. The bundle requires it on first use instead (another
 * commander is bundled as it is).
 */
const lazyChildProcess = sourceEdit('commander-lazy-child-process', [
  {
    filter: /[\\/]commander[\\/]lib[\\/]command\.js$/,
    optional: true,
    replace: [
      [
        "const childProcess = require('node:child_process');",
        "let childProcessModule; const childProcess = new Proxy({}, { get: (_, key) => (childProcessModule ??= require('node:child_process'))[key] });",
      ],
    ],
  },
]);
/**
 * Puts the fast path of src/ui/narrow-width.ts in front of every copy of `string-width` the
 * bundle takes in (Ink's and its text wrapper's): plain text is measured without the package's
 * grapheme segmenter and Unicode property regexes, which cost the first frame about 40 ms cold,
 * and the package loads only when a text needs it.
 */
const narrowWidth = {
  name: 'string-width-fast-path',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return undefined;
      return { path: real.path, namespace: 'string-width-fast-path' };
    });
    b.onLoad({ filter: /.*/, namespace: 'string-width-fast-path' }, (args) => ({
      // The package itself loads on the first text the fast path does not take: creating its
      // segmenter and Unicode property regexes costs about 13 ms a copy at start-up.
      contents: [
        `import { withNarrowFastPath } from ${JSON.stringify(`${root}src/ui/narrow-width.ts`)};`,
        'let real;',
        `const load = () => (real ??= require(${JSON.stringify(args.path)}).default);`,
        'export default withNarrowFastPath((text, options) => load()(text, options));',
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};
/**
 * Ink's layout engine (yoga) compiles its WebAssembly with WebAssembly.instantiate, off the main
 * thread, which then sits idle for 30-40 ms before the first frame can be laid out (or fetches it
 * from its data URL, loading Node's HTTP client, when `fetch` exists). Compiled synchronously from
 * the same bytes it is ready sooner, with less CPU, and when the module's loader returns. (`c`
 * instantiates the module from its bytes; `H` is the base64 data URL the bytes are in.)
 */
const yogaSyncCompile = sourceEdit('yoga-sync-compile', [
  {
    filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
    replace: [
      [
        'function c(e){return ya().then(function(f){return WebAssembly.instantiate(f,d)}).then(function(f){return f}).then(e,function(f){v("failed to asynchronously prepare wasm: "+f);x(f)})}',
        'function c(e){try{var m=new WebAssembly.Module(Buffer.from(H.slice(37),"base64"));e({module:m,instance:new WebAssembly.Instance(m,d)})}catch(f){v("failed to prepare wasm: "+f);x(f)}return Promise.resolve()}',
      ],
      [
        'return w||"function"!=typeof WebAssembly.instantiateStreaming||ua(H)||"function"!=typeof fetch?c(b):',
        'return !0?c(b):',
      ],
    ],
  },
]);
/**
 * Two packages make an `Intl.Segmenter` as they load, and the first one of a process loads ICU's
 * break-iterator data (10-15 ms before the dashboard's first frame). Ink's output splits every
 * line into grapheme clusters with `@alcalzone/ansi-tokenize`: there the fast path of
 * src/ui/narrow-width.ts gives the clusters of plain text, and the segmenter is made on the first
 * line that needs it. slice-ansi (Ink's truncation, which the dashboard's texts, cut to width
 * before Ink sees them, do not need) makes it on its first use too.
 */
const lazySegmenter = sourceEdit('lazy-grapheme-segmenter', [
  {
    filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/,
    optional: true,
    replace: [
      [
        'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });',
        `import { withGraphemeFastPath } from ${JSON.stringify(`${root}src/ui/narrow-width.ts`)}; let segmenterReal; const segmenter = { segment: withGraphemeFastPath((text) => (segmenterReal ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(text)) };`,
      ],
    ],
  },
  {
    filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/,
    optional: true,
    replace: [
      [
        "const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});",
        "let graphemeSegmenter; const GRAPHEME_SEGMENTER = { segment: (text) => (graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'})).segment(text) };",
      ],
    ],
  },
]);
/**
 * Top-level awaits stand between Ink and a CommonJS build: yoga's (its WebAssembly, made
 * synchronous above, is ready when loadYoga returns) and two in Ink's reconciler, behind DEV=true
 * (React devtools and a package.json read for them). The binary runs without devtools: with
 * DEV=true Ink prints its own warning that they are missing, as when react-devtools-core is not
 * installed.
 */
const inkWithoutTopLevelAwait = sourceEdit('ink-without-top-level-await', [
  {
    filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/,
    replace: [
      [
        "await import('./devtools.js');",
        "(() => { throw Object.assign(new Error('react-devtools-core is not in this build'), { code: 'ERR_MODULE_NOT_FOUND' }); })();",
      ],
      ['await loadPackageJson()', "{ name: 'ink', version: undefined }"],
    ],
  },
  {
    filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/,
    replace: [
      [
        'const Yoga = wrapAssembly(await loadYoga());',
        "const yogaModule = {}; loadYoga(yogaModule); if (!yogaModule.calledRun) throw new Error('yoga did not start'); const Yoga = wrapAssembly(yogaModule);",
      ],
    ],
  },
]);
/**
 * In the CommonJS builds, better-sqlite3's JavaScript is bundled: `loadBetterSqlite` in
 * src/store/sqlite.ts becomes a plain require() that esbuild follows (the sources, run as ES
 * modules by the tests, load the package through createRequire). Its addon is never bundled: the
 * store passes its path (`nativeBinding`).
 */
const bundledSqlite = sourceEdit('bundled-better-sqlite3', [
  {
    filter: /[\\/]src[\\/]store[\\/]sqlite\.ts$/,
    loader: 'ts',
    replace: [
      [
        "return requireCjs('better-sqlite3') as typeof BetterSqlite3;",
        "return require('better-sqlite3') as typeof BetterSqlite3;",
      ],
    ],
  },
]);
/** Keeps `./statusline-draw.js` a file of its own beside the status line's, loaded on a miss. */
const drawBeside = {
  name: 'statusline-draw-beside',
  setup(b) {
    b.onResolve({ filter: /\/statusline-draw\.js$/ }, () => ({ path: './statusline-draw.cjs', external: true }));
  },
};

await build({
  ...esm,
  entryPoints: { 'chunks/program': 'src/program.ts' },
  splitting: true,
  external: ['better-sqlite3', 'react-devtools-core'],
  plugins: [lazyChildProcess, narrowWidth, yogaSyncCompile, lazySegmenter],
  chunkNames: 'chunks/[name]-[hash]',
});
const cjsChunks = {
  ...cjs,
  outExtension: { '.js': '.cjs' },
  external: ['react-devtools-core'],
  plugins: [
    drawBeside,
    lazyChildProcess,
    narrowWidth,
    yogaSyncCompile,
    lazySegmenter,
    inkWithoutTopLevelAwait,
    bundledSqlite,
  ],
  // The drawing code (a CommonJS file too) is required, not imported: no ES module loader starts.
  supported: { 'dynamic-import': false },
};
await build({
  ...cjsChunks,
  entryPoints: {
    'chunks/statusline-main': 'src/statusline-main.ts',
    'chunks/ingest-fast': 'src/commands/ingest-fast.ts',
    'chunks/command-main': 'src/command-main.ts',
    'chunks/statusline-draw': 'src/commands/statusline-draw.ts',
    // The worker pool starts `./scan-worker.cjs` beside its own chunk: one CommonJS file, so each
    // worker thread starts without Node's ES module loader and its chunk imports (about 12 ms less
    // before both workers are ready).
    'chunks/scan-worker': 'src/ingest/scan-worker.ts',
  },
});
// The dashboard's file with short names too: a third smaller (1.36 to 0.91 MB), so less to read,
// decode and take from the code cache before the first frame (median 239 -> 227 ms, 15 rounds).
// Its functions are not in the benchmark's profiles, which read the names of the others.
await build({
  ...cjsChunks,
  minifyIdentifiers: true,
  entryPoints: { 'chunks/dashboard-main': 'src/dashboard-main.ts' },
});
await build({ ...cjs, entryPoints: { cli: 'src/cli.ts' } });
// The entry runs the CommonJS files through vm.Script with the code cache (src/cli/code-cache.ts),
// where a dynamic import() has nothing to load it: the build refuses one.
// Each is written inside Node's module wrapper, as the loader compiles it (MODULE_WRAPPER there):
// wrapping it at every start took a copy of the whole text on the heap.
// (Not the scan worker: a worker thread loads its file with Node's own loader, which wraps it.)
for (const name of readdirSync(`${out}/chunks`).filter((n) => n.endsWith('.cjs') && n !== 'scan-worker.cjs')) {
  const file = `${out}/chunks/${name}`;
  const text = readFileSync(file, 'utf8');
  if (/\bimport\(/.test(text))
    throw new Error(`dist/chunks/${name} holds a dynamic import(), which its loader cannot run`);
  writeFileSync(file, MODULE_WRAPPER.head + text + MODULE_WRAPPER.tail);
}
writeFileSync(`${out}/package.json`, '{ "type": "commonjs" }\n');
writeFileSync(`${out}/chunks/package.json`, '{ "type": "module" }\n');
writeFileSync(`${out}/lib/package.json`, '{ "type": "module" }\n');
chmodSync(`${out}/cli.js`, 0o755);
