/** `--now` for every command that takes it. */
import { DateTime } from '../domain/luxon.js';
import { UsageError } from '../app/config.js';
import { zonedWallInstant } from '../domain/time.js';

/** An offset at the end of an ISO date-time: `+05:30`, `-0800`, `+14`. */
const OFFSET = /T.*[+-](\d{2}):?(\d{2})?$/;

/**
 * Parses `--now`: an ISO instant; without an offset it is read in `tz` (a wall time the clocks went
 * back over is its first instant, whatever the season the command runs in). Offsets past ±18:00
 * are refused.
 */
export function parseNow(value: string | undefined, tz: string): number {
  if (value === undefined) return Date.now();
  const dt = DateTime.fromISO(value, { zone: tz });
  const offset = OFFSET.exec(value);
  const offsetMinutes = offset ? Number(offset[1]) * 60 + Number(offset[2] ?? 0) : 0;
  if (!dt.isValid || offsetMinutes > 18 * 60 || Number(offset?.[2] ?? 0) > 59)
    throw new UsageError(`--now must be an ISO date-time such as 2026-08-25T00:00:00Z, not "${value}".`);
  // Luxon settles a wall time that comes twice by the offset in force today: read it here instead.
  if (offset === null && !/z$/i.test(value))
    return zonedWallInstant(DateTime.fromISO(value, { zone: 'UTC' }).toMillis(), tz);
  return dt.toMillis();
}
