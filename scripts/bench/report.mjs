// Report benchmark: pricing throughput, and the report queries over a store of one million
// requests (60 days, 5 models, 3 classes, 40 projects, 3,000 sessions), with and without filters.
// Needs the built CLI (npm run build). A section of `npm run bench`; also runs alone with
// `node scripts/bench/report.mjs`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (p) => import(pathToFileURL(join(repo, 'dist', 'lib', p)).href);
const { openDatabase } = await load('store/database.js');
const { aggregate, totals, unpricedModels, listRequests } = await load('store/queries.js');
const { loadPriceTable } = await load('app/prices.js');
const { priceRequest } = await load('domain/pricing.js');

const ROWS = 1_000_000;
const MODELS = [
  'claude-opus-4-7',
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5',
  'claude-opus-4-6[1m]',
  'unknown-model',
];
const CLASSES = ['programmatic', 'interactive', 'unknown'];
const time = (fn) => {
  const t = performance.now();
  const out = fn();
  return [performance.now() - t, out];
};
const ms = (x) => `${x.toFixed(0)} ms`;

/** Bench section: returns rows for the harness (and prints a line per measure as it goes). */
export async function run(env) {
  const log = env?.log ?? console.log;
  const rows = [];
  const table = loadPriceTable(null);
  const usage = {
    input: 0,
    output: 300,
    cacheRead: 40_000,
    cacheWrite5m: 1_500,
    cacheWrite1h: 0,
    webSearch: 0,
    webFetch: 0,
  };
  const [priceMs] = time(() => {
    let sum = 0;
    for (let i = 0; i < ROWS; i++) {
      usage.input = i % 250_000;
      sum +=
        priceRequest(table, {
          model: MODELS[i % 5],
          ts: 1.77e12 + i * 5000,
          usage,
          speed: i % 7 ? null : 'fast',
          inferenceGeo: null,
        }) ?? 0;
    }
    return sum;
  });
  log(
    `pricing: ${ROWS.toLocaleString('en-US')} requests in ${ms(priceMs)} (${((priceMs * 1000) / ROWS).toFixed(2)} µs each)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'creditmeter-bench-report-'));
  try {
    const db = openDatabase(join(dir, 'usage.db'));
    const start = Date.parse('2026-01-01T00:00:00Z');
    const insert =
      db.prepare(`INSERT INTO requests (key, session_id, project, entrypoint, class, model, ts, input_tokens, output_tokens,
      cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, price_version, source)
      VALUES (?, ?, ?, 'sdk-cli', ?, ?, ?, 10, 100, 4000, 50, 0, 0, 0, ?, 'bench', 'line')`);
    const [fillMs] = time(() =>
      db.transaction(() => {
        for (let i = 0; i < ROWS; i++) {
          insert.run(
            `k${i}`,
            `s${i % 3000}`,
            `/p/${i % 40}`,
            CLASSES[i % 3],
            MODELS[i % 5],
            start + i * 5184,
            i % 5 === 4 ? null : 0.01,
          );
        }
      })(),
    );
    log(`store: ${ROWS.toLocaleString('en-US')} requests written in ${ms(fillMs)}`);
    const month = { fromMs: start + 20 * 86_400_000, toMs: start + 50 * 86_400_000 };
    for (const by of ['model', 'day', 'project', 'session', 'entrypoint', 'class']) {
      const [all] = time(() => aggregate(db, by, {}, 'America/Los_Angeles'));
      const [filtered] = time(() => aggregate(db, by, { ...month, classes: ['programmatic'] }, 'America/Los_Angeles'));
      log(
        `report --by ${by.padEnd(10)} all rows ${ms(all).padStart(7)}   30 days, one class ${ms(filtered).padStart(7)}`,
      );
      rows.push({ label: `report --by ${by}, 1M rows`, value: Math.round(all), unit: 'ms' });
      rows.push({ label: `report --by ${by}, 30 days one class`, value: Math.round(filtered), unit: 'ms' });
    }
    log(
      `totals ${ms(time(() => totals(db, {}))[0])}; unpriced models ${ms(time(() => unpricedModels(db, {}))[0])}; ` +
        `one session page ${ms(time(() => listRequests(db, { sessionId: 's17' }, { limit: 50 }))[0])}; ` +
        `newest page ${ms(time(() => listRequests(db, {}, { limit: 50 }))[0])}`,
    );
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
