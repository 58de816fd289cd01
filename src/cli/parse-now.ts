/** `--now` for every command that takes it. */
import { DateTime } from '../domain/luxon.js';
import { UsageError } from '../app/config.js';

/** Parses `--now`: an ISO instant; without an offset it is read in `tz`. */
export function parseNow(value: string | undefined, tz: string): number {
  if (value === undefined) return Date.now();
  const dt = DateTime.fromISO(value, { zone: tz });
  if (!dt.isValid) throw new UsageError(`--now must be an ISO date-time such as 2026-08-25T00:00:00Z, not "${value}".`);
  return dt.toMillis();
}
