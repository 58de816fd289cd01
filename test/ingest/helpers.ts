/** Test helpers: a real AppContext over a temp SQLite file and given roots, and store totals. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp, type AppContext } from '../../src/app/context.js';
import type { Db } from '../../src/store/database.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const realLogs = (name: string): string => resolve(repoRoot, '../shared/real-logs', name);
export const fixtureCase = (name: string): string => resolve(repoRoot, 'fixtures/cases', name);

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'cm-ingest-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens the app on `roots` with its own database file (and an empty config file). */
export function openTestApp(
  roots: string[],
  dbFile: string,
  extra: { classes?: Record<string, string> } = {},
): AppContext {
  const configPath = join(dirname(dbFile), `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(configPath, JSON.stringify(extra.classes ? { classes: extra.classes } : {}));
  return openApp({ claudeDir: roots, db: dbFile, config: configPath, tz: 'UTC' });
}

export interface Totals {
  requests: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  webSearch: number;
  cost: number;
  unpriced: number;
}

/** Sums of the stored requests (optionally of one class). */
export function totals(db: Db, cls?: string): Totals {
  const where = cls ? 'WHERE class = ?' : '';
  const row = db
    .prepare(
      `SELECT COUNT(*) AS requests, COALESCE(SUM(input_tokens),0) AS input, COALESCE(SUM(output_tokens),0) AS output,
       COALESCE(SUM(cache_read_tokens),0) AS cacheRead, COALESCE(SUM(cache_write_5m_tokens + cache_write_1h_tokens),0) AS cacheWrite,
       COALESCE(SUM(cache_write_5m_tokens),0) AS cacheWrite5m, COALESCE(SUM(cache_write_1h_tokens),0) AS cacheWrite1h,
       COALESCE(SUM(web_search_requests),0) AS webSearch, COALESCE(SUM(cost),0) AS cost,
       COALESCE(SUM(CASE WHEN cost IS NULL THEN 1 ELSE 0 END),0) AS unpriced FROM requests ${where}`,
    )
    .get(...(cls ? [cls] : [])) as Totals;
  return row;
}

/** Cost rounded to the micro-dollar (the reference totals' precision). */
export const micro = (usd: number): number => Math.round(usd * 1e6) / 1e6;
