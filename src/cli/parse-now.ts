/** `--now` for every command that takes it. */
import { DateTime } from '../domain/luxon.js';
import { UsageError } from '../app/config.js';

/** An offset at the end of an ISO date-time: `+05:30`, `-0800`, `+14`. */
const OFFSET = /T.*[+-](\d{2}):?(\d{2})?$/;

/** Parses `--now`: an ISO instant; without an offset it is read in `tz`. Offsets past ±18:00 are refused. */
export function parseNow(value: string | undefined, tz: string): number {
  if (value === undefined) return Date.now();
  const dt = DateTime.fromISO(value, { zone: tz });
  const offset = OFFSET.exec(value);
  const offsetMinutes = offset ? Number(offset[1]) * 60 + Number(offset[2] ?? 0) : 0;
  if (!dt.isValid || offsetMinutes > 18 * 60 || Number(offset?.[2] ?? 0) > 59)
    throw new UsageError(`--now must be an ISO date-time such as 2026-08-25T00:00:00Z, not "${value}".`);
  return dt.toMillis();
}
