/**
 * The price table in use: the bundled effective-dated table, with a user's price file merged over
 * it. Reads only local files: pricing never touches the network.
 */
import { existsSync, readFileSync } from 'node:fs';
import bundledJson from '../domain/bundled-prices.json' with { type: 'json' };
import type { ModelPriceRow, PriceTable } from '../domain/price-types.js';
import { UsageError } from './config.js';
import { parsePriceFile } from './price-file.js';
import { nodeCrypto } from '../store/node-crypto.js';

/** JSON with object keys sorted at every level, so equal tables hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return nodeCrypto().createHash('sha256').update(text).digest('hex');
}

/** sha256 (hex) of the table's canonical JSON: identifies exactly which prices were used. */
export function priceTableHash(table: PriceTable): string {
  return sha256(canonicalJson(table));
}

let bundledCache: PriceTable | null = null;

type Rates = ModelPriceRow['rates'];
type BundledRow = Omit<ModelPriceRow, 'aliases' | 'from' | 'until' | 'origin' | 'longContext'> & {
  aliases?: string[];
  from?: string | null;
  until?: string | null;
  longContext?: { overPromptTokens: number; from?: string | null; until?: string | null; rates: Rates } | null;
};

const copyRates = (r: Rates): Rates => ({
  input: r.input,
  cacheWrite5m: r.cacheWrite5m,
  cacheWrite1h: r.cacheWrite1h,
  cacheRead: r.cacheRead,
  output: r.output,
});

/**
 * The bundled rows as parsePriceFile gives them (same fields, same order), without its checks:
 * the table ships inside the build, and a test holds the two equal (the checks took ~2 ms of every
 * start that opens the store).
 */
export function bundledRows(rows: readonly BundledRow[]): ModelPriceRow[] {
  return rows.map((o) => {
    const row: ModelPriceRow = {
      id: o.id.trim(),
      aliases: (o.aliases ?? []).map((a) => a.trim()),
      from: o.from ?? null,
      until: o.until ?? null,
      rates: copyRates(o.rates),
      origin: 'bundled',
    };
    const band = o.longContext;
    if (band !== undefined && band !== null)
      row.longContext = {
        overPromptTokens: band.overPromptTokens,
        from: band.from ?? null,
        until: band.until ?? null,
        rates: copyRates(band.rates),
      };
    if (o.fastMultiplier !== undefined) row.fastMultiplier = o.fastMultiplier;
    if (o.inferenceGeoUsMultiplier !== undefined) row.inferenceGeoUsMultiplier = o.inferenceGeoUsMultiplier;
    if (o.confidence !== undefined) row.confidence = o.confidence;
    return row;
  });
}

/** The bundled table, as a user file's rows would be read (test/domain/pricing-file.test.ts checks it). */
export function bundledPriceTable(): PriceTable {
  if (bundledCache === null) {
    const raw = bundledJson as unknown as { version: string; webSearchUsdPerRequest: number; models: BundledRow[] };
    bundledCache = {
      version: raw.version,
      webSearchUsdPerRequest: raw.webSearchUsdPerRequest,
      models: bundledRows(raw.models),
    };
  }
  return bundledCache;
}

function readUserFile(file: string): unknown {
  if (!existsSync(file)) throw new UsageError(`The price file ${file} does not exist.`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `The price file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`The price file ${file} is not valid JSON (${(err as Error).message}).`);
  }
}

/**
 * Merges user rows over `base`: a user row replaces every base row of the same id (case-insensitive)
 * and a new id adds a model. User rows come first so their aliases win. Version gains `+user-<hash>`.
 */
export function mergePriceTables(
  base: PriceTable,
  user: { models: ModelPriceRow[]; webSearchUsdPerRequest?: number },
): PriceTable {
  const ids = new Set(user.models.map((r) => r.id.toLowerCase()));
  const models = [...user.models, ...base.models.filter((r) => !ids.has(r.id.toLowerCase()))];
  const tag = sha256(canonicalJson(user)).slice(0, 8);
  return {
    version: `${base.version}+user-${tag}`,
    webSearchUsdPerRequest: user.webSearchUsdPerRequest ?? base.webSearchUsdPerRequest,
    models,
  };
}

/**
 * The price table in use: the bundled table, merged with `userFile` when given.
 * Throws UsageError (naming the file and the field) for a missing, unreadable or invalid file.
 */
export function loadPriceTable(userFile: string | null): PriceTable {
  const bundled = bundledPriceTable();
  if (userFile === null) return bundled;
  return mergePriceTables(bundled, parsePriceFile(readUserFile(userFile), userFile, 'user'));
}
