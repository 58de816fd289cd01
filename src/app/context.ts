import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { resolveConfig, UsageError, type GlobalFlags, type ResolvedConfig } from './config.js';
import { isFolder, specialFileKind } from '../store/folders.js';
import { getMeta, openDatabase, refuseForeignFile, setMeta, StoreError, type Db } from '../store/database.js';
import { reprice } from '../store/reprice.js';
import { restoreKeptTelemetry, storeInUse, type KeptTelemetry } from '../store/telemetry-keep.js';
import { TelemetryWriter } from '../store/telemetry-writer.js';
import { restoreGoneTranscripts, type GoneTranscripts } from '../store/gone-transcripts.js';
import { readRebuildKeep } from '../store/rebuild-keep.js';
import { priceRequest } from '../domain/pricing.js';
import { countOf } from '../domain/format.js';
import { loadPriceTable } from './prices.js';
import type { PriceTable } from '../domain/price-types.js';

/** Everything a command needs: resolved config, the open store, the price table in use. */
export interface AppContext {
  config: ResolvedConfig;
  db: Db;
  prices: PriceTable;
  /** Requests priced again while opening, because the price table in use changed. */
  repricedOnOpen: number;
  close(): void;
}

export interface OpenAppOptions {
  /** Delete the database file first and re-read every log. */
  rebuild?: boolean;
  readonly?: boolean;
  /** The settings of these flags when the caller has resolved them already. */
  config?: ResolvedConfig;
}

/**
 * Refuses (exit 2) a store path whose folder is not there or is a file. A folder that cannot be
 * looked at (no permission) is left to the store's own open, which names the reason.
 */
function refuseMissingFolder(dbPath: string, source: string): void {
  const folder = dirname(resolve(dbPath));
  let what: string;
  try {
    if (statSync(folder).isDirectory()) return;
    what = `is a file, not a folder: choose a file in a folder`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return;
    what = 'does not exist: create it, or choose a file in a folder that does';
  }
  throw new UsageError(`The folder of the database ${dbPath} (from ${source}) ${what}.`);
}

/** Composition root: config, then the store (migrated), then prices. Throws UsageError / StoreError. */
export function openApp(flags: GlobalFlags & { rebuild?: boolean }, options: OpenAppOptions = {}): AppContext {
  const config = options.config ?? resolveConfig(flags);
  if (config.dbPath !== ':memory:' && isFolder(config.dbPath))
    throw new UsageError(`The database path ${config.dbPath} is a folder: give --db (or $CREDITMETER_DB) a file path.`);
  // A device, a pipe or a socket (`--db /dev/null`) is no place for a store: SQLite would fail at it
  // with a disk error and leave a journal beside it, and --rebuild would delete it.
  const special = config.dbPath === ':memory:' ? null : specialFileKind(config.dbPath);
  if (special !== null)
    throw new UsageError(
      `The database path ${config.dbPath} is ${special}, not a file: give --db (or $CREDITMETER_DB) a file path. It was left as it is.`,
    );
  // A chosen path in a folder that is not there is a typing mistake more often than a wish for a
  // new folder: an empty store there would look like lost history. Only the default's are made.
  if (config.dbChosenBy !== null && config.dbPath !== ':memory:') refuseMissingFolder(config.dbPath, config.dbChosenBy);
  let kept: KeptTelemetry | null = null;
  let gone: GoneTranscripts | null = null;
  if ((options.rebuild || flags.rebuild) && config.dbPath !== ':memory:') {
    if (existsSync(config.dbPath)) {
      // Another program's file or database (a mistyped --db) is left as it is, not deleted.
      refuseForeignFile(config.dbPath);
      if (storeInUse(config.dbPath))
        throw new StoreError(
          `The database ${config.dbPath} is open in another creditmeter process (a dashboard, serve or a command still running): stop it, then run --rebuild again. Nothing was deleted.`,
        );
      // Transcripts this rebuild reads again: on disk, under this run's roots (as discoverFiles names them).
      const projects = config.roots.map((r) => join(resolve(r), 'projects') + sep);
      const readAgain = (path: string): boolean => projects.some((p) => path.startsWith(p)) && existsSync(path);
      const read = readRebuildKeep(config.dbPath, readAgain, existsSync);
      kept = read.telemetry;
      gone = read.gone;
      // One sentence for what cannot be read again from any log; a damaged store fails both alike.
      const lost = [
        ...(read.errors.telemetry === undefined ? [] : ['received telemetry']),
        ...(read.errors.gone === undefined ? [] : ['the requests of transcripts no longer on disk']),
      ];
      if (lost.length > 0)
        process.stderr.write(
          `creditmeter: ${lost.join(' and ')} could not be carried over from the old database (${read.errors.telemetry ?? read.errors.gone}); the new one starts without them.\n`,
        );
    }
    // (A store named through a symbolic link is the file the link leads to: resolveConfig; the link stays.)
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(config.dbPath + suffix)) rmSync(config.dbPath + suffix);
    }
  }
  const prices = loadPriceTable(config.pricesPath);
  const db = openDatabase(config.dbPath, { readonly: options.readonly ?? false });
  let repricedOnOpen = 0;
  try {
    // Events, their counters (refusals included) and what was pushed all carry over, whichever
    // of them there is; the events are joined to the new store's rows again.
    if (kept !== null && Object.values(kept).some((rows) => rows.length > 0)) restoreKeptTelemetry(db, kept);
    // Transcripts Claude Code has deleted since they were read cannot be read again: their history stays.
    if (gone !== null && gone.files.length > 0) {
      restoreGoneTranscripts(db, gone);
      const damaged =
        gone.damaged > 0
          ? `; ${countOf(gone.damaged, 'request')} that read as damaged in the old database ${gone.damaged === 1 ? 'was' : 'were'} left behind`
          : '';
      if (gone.requests.length > 0 || gone.damaged > 0)
        process.stderr.write(
          `creditmeter: kept ${countOf(gone.requests.length, 'request')} of ${countOf(gone.files.length, 'transcript')} this rebuild does not read (no longer on disk, or under roots this run does not name)${damaged}.\n`,
        );
    }
    // Also once after an upgrade that changed how events join (a migration asks, in meta).
    const upgraded = !options.readonly && getMeta(db, TELEMETRY_REJOIN) !== null;
    if ((kept !== null && kept.telemetry_events.length > 0) || upgraded) {
      new TelemetryWriter(db, {
        classes: config.classes,
        priceVersion: prices.version,
        price: (input) => priceRequest(prices, input),
      }).rejoinAll();
      if (upgraded) db.prepare('DELETE FROM meta WHERE key = ?').run(TELEMETRY_REJOIN);
    }
    if (!options.readonly) repricedOnOpen = applyPriceTable(db, prices);
  } catch (err) {
    db.close();
    throw err;
  }
  return { config, db, prices, repricedOnOpen, close: () => db.close() };
}

const PRICE_VERSION_KEY = 'prices_applied';
/** Meta key a migration sets when the kept telemetry events are to be joined again (migrations.ts 8). */
const TELEMETRY_REJOIN = 'telemetry_rejoin';

/** The version of the table the store's costs were last priced with (null in a store never priced). */
export function storePriceVersion(db: Db): string | null {
  return getMeta(db, PRICE_VERSION_KEY);
}

/**
 * Keeps stored costs true to the table in use: when the table differs from the one the store was
 * last priced with (a price file added or changed, a newer bundled table), every stored request is
 * priced again, once. Costs shown then always come from the table the output names. Returns how
 * many requests got a price that way.
 */
export function applyPriceTable(db: Db, prices: PriceTable): number {
  if (getMeta(db, PRICE_VERSION_KEY) === prices.version) return 0;
  const { repriced } = reprice(db, prices, { all: true });
  setMeta(db, PRICE_VERSION_KEY, prices.version);
  return repriced;
}
