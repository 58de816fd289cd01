/** Validation of the `report` flags: every bad value is one UsageError sentence (exit 2). */
import { UsageError } from '../app/config.js';
import { endOfDay, startOfDay } from '../domain/time.js';
import { REPORT_BYS, REQUEST_CLASSES, type ReportBy, type RequestClass } from '../domain/types.js';
import type { RequestFilter } from '../store/queries.js';

/** The flags as commander gives them (strings as typed). */
export interface ReportFlags {
  by?: string;
  since?: string;
  until?: string;
  class?: string;
  json?: boolean;
  csv?: boolean;
}

export interface ReportOptions {
  by: ReportBy;
  since: string | null;
  until: string | null;
  classFilter: RequestClass | 'all';
  format: 'text' | 'json' | 'csv';
}

function day(value: string | undefined, flag: string): string | null {
  if (value === undefined) return null;
  // YYYYMMDD too, as ccusage takes it.
  const date = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  // Any zone will do here: only the calendar date's validity is checked.
  if (startOfDay(date, 'UTC') === null) throw new UsageError(`${flag} must be a date YYYY-MM-DD, not "${value}".`);
  return date;
}

/** Checks the flags; throws UsageError naming the flag and the accepted values. */
export function parseReportFlags(flags: ReportFlags): ReportOptions {
  const by = flags.by ?? 'model';
  if (!(REPORT_BYS as readonly string[]).includes(by))
    throw new UsageError(`--by must be one of ${REPORT_BYS.join(', ')}, not "${by}".`);
  const cls = flags.class ?? 'all';
  if (cls !== 'all' && !(REQUEST_CLASSES as readonly string[]).includes(cls)) {
    throw new UsageError(`--class must be one of ${REQUEST_CLASSES.join(', ')} or all, not "${cls}".`);
  }
  if (flags.json && flags.csv) throw new UsageError('Choose one of --json and --csv.');
  const since = day(flags.since, '--since');
  const until = day(flags.until, '--until');
  if (since !== null && until !== null && since > until)
    throw new UsageError(`--since (${since}) is after --until (${until}).`);
  return {
    by: by as ReportBy,
    since,
    until,
    classFilter: cls as RequestClass | 'all',
    format: flags.json ? 'json' : flags.csv ? 'csv' : 'text',
  };
}

/**
 * The SQL filter: `since` from 00:00 and `until` through 24:00 of those days in `tz`, and never
 * past `nowMs`: a request stamped ahead of this machine's clock (a runner whose clock runs ahead)
 * is reported once its time has come, as `status` and the dashboard count it.
 */
export function reportFilter(options: ReportOptions, tz: string, nowMs: number = Date.now()): RequestFilter {
  const filter: RequestFilter = {};
  if (options.since !== null) filter.fromMs = startOfDay(options.since, tz) ?? undefined;
  const until = options.until === null ? null : endOfDay(options.until, tz);
  filter.toMs = until === null ? nowMs : Math.min(until, nowMs);
  if (options.classFilter !== 'all') filter.classes = [options.classFilter];
  return filter;
}

/** First line of the text report: what was selected. */
export function reportTitle(options: ReportOptions, tz: string, priceVersion: string): string {
  const range =
    options.since && options.until
      ? `${options.since} to ${options.until}`
      : options.since
        ? `since ${options.since}`
        : options.until
          ? `through ${options.until}`
          : 'all time';
  const cls = options.classFilter === 'all' ? 'all classes' : `${options.classFilter} requests`;
  return `Usage by ${options.by}, ${cls}, ${range} (days in ${tz}); prices ${priceVersion}`;
}
