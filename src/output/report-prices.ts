/** The `prices` command output: the price table in use, as text or JSON. */
import type { ModelPriceRow, PriceTable, TokenRates } from '../domain/price-types.js';
import { fitTable, type Column } from './table.js';
import { wrapText } from './wrap.js';

/** The `prices --json` document. */
export interface PricesJson {
  version: string;
  hash: string;
  webSearchUsdPerRequest: number;
  models: ModelPriceRow[];
}

/** The machine-readable table: version, sha256 hash, web-search fee and every row as used. */
export function pricesJson(table: PriceTable, hash: string): PricesJson {
  return { version: table.version, hash, webSearchUsdPerRequest: table.webSearchUsdPerRequest, models: table.models };
}

const kTokens = (n: number): string => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
const rateList = (r: TokenRates): string => [r.input, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead, r.output].join('/');

function longContextCell(row: ModelPriceRow): string {
  const band = row.longContext;
  if (!band) return '';
  const dates = [band.from ? `from ${band.from}` : '', band.until ? `until ${band.until}` : '']
    .filter(Boolean)
    .join(' ');
  return `>${kTokens(band.overPromptTokens)}: ${rateList(band.rates)}${dates ? ` ${dates}` : ''}`;
}

const COLUMNS: Column[] = [
  { header: 'model' },
  { header: 'aliases' },
  { header: 'from' },
  { header: 'until' },
  { header: 'input', align: 'right' },
  { header: '5m write', align: 'right' },
  { header: '1h write', align: 'right' },
  { header: 'cache read', align: 'right' },
  { header: 'output', align: 'right' },
  { header: 'long context (in/5m/1h/read/out)' },
  { header: 'fast' },
  { header: 'US' },
];

/** Columns a terminal too narrow for the whole table goes without, least needed first. */
const DROPPABLE = [
  'aliases',
  'source',
  'long context (in/5m/1h/read/out)',
  'US',
  'fast',
  '1h write',
  '5m write',
  'until',
  'cache read',
];

/**
 * The human-readable table: one line per row, rates in USD per million tokens. With `width` (a
 * terminal's columns), a wider table leaves out its least needed columns and says which.
 */
export function pricesText(table: PriceTable, hash: string, width?: number): string {
  const rows = table.models.map((r) => [
    r.id,
    r.aliases.join(', '),
    r.from ?? '-',
    r.until ?? '-',
    String(r.rates.input),
    String(r.rates.cacheWrite5m),
    String(r.rates.cacheWrite1h),
    String(r.rates.cacheRead),
    String(r.rates.output),
    longContextCell(r),
    r.fastMultiplier !== undefined ? `x${r.fastMultiplier}` : '',
    r.inferenceGeoUsMultiplier !== undefined ? `x${r.inferenceGeoUsMultiplier}` : '',
  ]);
  // Say where a row came from only when a user file is merged in.
  const merged = table.models.some((r) => r.origin === 'user');
  const columns = merged ? [...COLUMNS, { header: 'source' }] : COLUMNS;
  if (merged) table.models.forEach((r, i) => rows[i]?.push(r.origin ?? ''));
  const head =
    `Price table ${table.version} (sha256 ${hash.slice(0, 12)}), USD per million tokens; ` +
    `web search $${table.webSearchUsdPerRequest} per request. Rows apply to requests dated [from, until) UTC.`;
  // On a terminal, the table fits it and sentences wrap between words.
  const fitted = fitTable(columns, rows, [], (width ?? Infinity) - 1, DROPPABLE);
  const left = fitted.left.join(', ');
  const note = left ? `${wrapText(`Left out to fit the terminal: ${left} (--json has every field).`, width)}\n` : '';
  return `${wrapText(head, width)}\n\n${fitted.table}${note}`;
}
