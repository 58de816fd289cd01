import type { Command } from 'commander';
import { DateTime } from '../domain/luxon.js';
import { UsageError, type GlobalFlags } from '../app/config.js';
import { openApp } from '../app/context.js';
import { countedClasses } from '../services/status.js';
import { runBacktest, type BacktestResult } from '../domain/backtest.js';
import { countOf, formatPercent, formatUsd, wholeNumber } from '../domain/format.js';
import { catchUp } from '../ingest/pipeline.js';
import { firstRequestTs, spendBuckets } from '../store/cycle-queries.js';
import { parseNow } from '../cli/parse-now.js';
import { terminalColumns, writeStdout } from '../cli/stdout.js';
import { sayWarnings } from '../cli/warnings.js';
import { fitTable, type Column } from '../output/table.js';
import { wrapText } from '../output/wrap.js';

interface BacktestOptions {
  json?: boolean;
  now?: string;
  days: string;
  cycles?: string;
}

/** Default checkpoints: early, a week in, mid-cycle, the last week, the last days. */
export const DEFAULT_CHECKPOINTS = [3, 8, 15, 22, 27];

/** `--days 3,8,15` or `all` (every day after the first). */
export function parseCheckpoints(text: string): number[] | undefined {
  if (text.trim() === 'all') return undefined;
  const days = text.split(',').map((t) => wholeNumber(t) ?? NaN);
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 2 || d > 31))
    throw new UsageError(`--days takes days of the cycle from 2 to 31 separated by commas, or "all"; not "${text}".`);
  return [...new Set(days)].sort((a, b) => a - b);
}

const pct = (v: number | null): string => (v === null ? 'n/a' : formatPercent(v));

/**
 * The backtest as two small tables, per cycle and per day of the cycle, then overall: forecast next
 * to the naive line. With `width` (a terminal's), each fits it: a cycle is named by its first day,
 * then the points go, then the headers shorten and the naive error and the coverage go; sentences
 * wrap between words.
 */
export function formatBacktest(r: BacktestResult, tz: string, width?: number): string {
  const day = (ms: number): string => DateTime.fromMillis(ms, { zone: tz }).toISODate() ?? '';
  const before =
    r.beganBeforeData === null
      ? null
      : `the cycle from ${day(r.beganBeforeData)} began more than a day before the first request, so its first forecasts would have had nothing to go on`;
  if (r.points === 0) {
    const why = [
      r.withoutDays > 0
        ? `${countOf(r.withoutDays, 'complete cycle')} with spend ${r.withoutDays === 1 ? 'has' : 'have'} none of the days asked for`
        : null,
      r.skippedZeroCycles > 0 ? `${countOf(r.skippedZeroCycles, 'complete cycle')} had no counted spend` : null,
      before === null ? null : `${before}: it is not replayed`,
    ].filter((x) => x !== null);
    return (
      wrapText(
        `No complete past cycle with spend to replay yet${why.length > 0 ? ` (${why.join('; ')})` : ''}.`,
        width,
      ) + '\n'
    );
  }
  const room = (width ?? Infinity) - 1;
  // Short headers for a narrow terminal, where the long ones would break every line in two.
  const tables = (short: boolean) => {
    const h = short
      ? { p50: 'P50 err', naive: 'naive', band: 'P10-90', day: 'day' }
      : { p50: 'P50 error', naive: 'naive error', band: 'in P10-P90', day: 'day of cycle' };
    const scores: Column[] = [
      { header: 'points', align: 'right' },
      { header: h.p50, align: 'right' },
      { header: h.naive, align: 'right' },
      { header: h.band, align: 'right' },
    ];
    const droppable = short ? ['points', h.naive, h.band] : ['points'];
    const scoreCells = (c: { points: number; p50Error: number; naiveError: number; coverage: number }): string[] => [
      String(c.points),
      pct(c.p50Error),
      pct(c.naiveError),
      pct(c.coverage),
    ];
    const cyclesAs = (head: string, label: (c: BacktestResult['cycles'][number]) => string) =>
      fitTable(
        [{ header: head }, { header: 'actual', align: 'right' }, ...scores],
        r.cycles.map((c) => [label(c), formatUsd(c.truth), ...scoreCells(c)]),
        [],
        room,
        droppable,
      );
    // First and last day, as `status` names a cycle (its end instant is the next one's start).
    let cycles = short ? null : cyclesAs('cycle', (c) => `${day(c.startMs)} - ${day(c.endMs - 1)}`);
    if (cycles === null || cycles.left.length > 0) cycles = cyclesAs('cycle from', (c) => day(c.startMs));
    const days = fitTable(
      [{ header: h.day, align: 'right' }, ...scores],
      r.checkpoints.map((c) => [String(c.day), ...scoreCells(c)]),
      [],
      room,
      droppable,
    );
    return { cycles, days };
  };
  let { cycles, days } = tables(false);
  if (!cycles.fits || !days.fits) ({ cycles, days } = tables(true));
  const wrap = (text: string): string => wrapText(text, width, '    ');
  const lines = [cycles.table, days.table];
  // What went, by table: `points per cycle and per day, naive error per day`.
  const name = (c: string): string => (c === 'naive' ? 'naive error' : c === 'P10-90' ? 'P10-P90 coverage' : c);
  const left = [...new Set([...cycles.left, ...days.left])].map((c) => {
    const per = [cycles.left.includes(c) ? 'per cycle' : '', days.left.includes(c) ? 'per day' : ''].filter(Boolean);
    return `${name(c)} ${per.join(' and ')}`;
  });
  if (left.length > 0) lines.push(wrap(`Left out to fit the terminal: ${left.join(', ')} (--json has them).`), '');
  lines.push(wrap(`Over ${r.points} forecasts (each at the start of a day listed, from what was known then):`));
  lines.push(wrap(`  P50 mean absolute error  ${pct(r.p50Error)}   naive straight line  ${pct(r.naiveError)}`));
  lines.push(wrap(`  P10-P90 held the real cycle-end spend ${pct(r.coverage)} of the time (80% is ideal)`));
  if (r.skippedZeroCycles > 0)
    lines.push(wrap(`  ${countOf(r.skippedZeroCycles, 'complete cycle')} without counted spend left out.`));
  return `${lines.join('\n')}\n`;
}

/** `creditmeter backtest`: replay the stored history and score the forecast against the naive projection. */
export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description(
      'replay past cycles: forecast each day from what was known then, score P50 error and P10-P90 coverage against the naive line',
    )
    .option('--json', 'print the result as JSON')
    .option('--now <iso>', 'only cycles complete by this instant')
    .option('--days <list>', 'days of the cycle to forecast at, or "all"', DEFAULT_CHECKPOINTS.join(','))
    .option('--cycles <n>', 'only the last N complete cycles')
    .action(async (opts: BacktestOptions, cmd: Command) => {
      const ctx = openApp(cmd.optsWithGlobals<GlobalFlags>());
      try {
        const { plan } = ctx.config;
        const nowMs = parseNow(opts.now, plan.tz);
        const checkpointDays = parseCheckpoints(opts.days);
        const lastCycles = opts.cycles === undefined ? undefined : (wholeNumber(opts.cycles) ?? NaN);
        if (lastCycles !== undefined && (!Number.isInteger(lastCycles) || lastCycles < 1))
          throw new UsageError(`--cycles takes a whole number of at least 1, not "${opts.cycles}".`);
        const summary = await catchUp(ctx);
        sayWarnings(summary.warnings);
        const result = runBacktest({
          buckets: spendBuckets(ctx.db, countedClasses(plan), 0, nowMs),
          dataStartMs: firstRequestTs(ctx.db),
          nowMs,
          cycleStartDay: plan.cycleStartDay,
          tz: plan.tz,
          credit: plan.credit,
          ...(checkpointDays ? { checkpointDays } : {}),
          ...(lastCycles ? { lastCycles } : {}),
        });
        if (opts.json) {
          const iso = (ms: number): string => DateTime.fromMillis(ms, { zone: plan.tz }).toISO() ?? '';
          const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e6) / 1e6);
          const cycles = result.cycles.map((c) => ({
            start: iso(c.startMs),
            end: iso(c.endMs),
            actual: round(c.truth),
            points: c.points,
            p50AbsPctError: round(c.p50Error * 100),
            naiveAbsPctError: round(c.naiveError * 100),
            coverage: round(c.coverage),
          }));
          const out = {
            points: result.points,
            p50AbsPctError: round(result.p50Error === null ? null : result.p50Error * 100),
            naiveAbsPctError: round(result.naiveError === null ? null : result.naiveError * 100),
            coverage: round(result.coverage),
            skippedZeroCycles: result.skippedZeroCycles,
            withoutDays: result.withoutDays,
            beganBeforeData: result.beganBeforeData === null ? null : iso(result.beganBeforeData),
            cycles,
            checkpoints: result.checkpoints.map((c) => ({
              day: c.day,
              points: c.points,
              p50AbsPctError: round(c.p50Error * 100),
              naiveAbsPctError: round(c.naiveError * 100),
              coverage: round(c.coverage),
            })),
          };
          writeStdout(`${JSON.stringify(out, null, 2)}\n`);
        } else {
          writeStdout(formatBacktest(result, plan.tz, terminalColumns()));
        }
      } finally {
        ctx.close();
      }
    });
}
