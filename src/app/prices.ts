import type { PriceTable } from '../domain/price-types.js';

/** Placeholder: the bundled table merged with the user's price file. */
export function loadPriceTable(_userFile: string | null): PriceTable {
  return { version: 'none', webSearchUsdPerRequest: 0.01, models: [] };
}
