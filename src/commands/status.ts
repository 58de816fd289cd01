import type { Command } from 'commander';
import { UsageError, type GlobalFlags } from '../app/config.js';
import { openCaughtUp } from '../app/caught-up.js';
import { BucketCache } from '../store/bucket-cache.js';
import { PathsMemoFile } from '../store/paths-memo.js';
import { buildStatusWithExtras, spendByWho } from '../services/status.js';
import { precompileForecast } from '../domain/forecast-paths.js';
import { cycleSelectorProblem, parseCycleSelector, selectCycle } from '../domain/cycle.js';
import { formatPercent } from '../domain/format.js';
import type { SeatStatus, StatusReport } from '../domain/status-types.js';
import { formatStatusText } from '../output/status-text.js';
import { EXIT } from '../cli/exit.js';
import { parseNow } from '../cli/parse-now.js';
import { useColor } from '../cli/colour.js';
import { terminalColumns, writeStdout } from '../cli/stdout.js';
import { sayWarnings } from '../cli/warnings.js';

interface StatusOptions {
  json?: boolean;
  now?: string;
  cycle?: string;
  failAt?: string;
  user?: string;
}

/** Parses `--fail-at`: a percentage above 0. */
export function parseFailAt(value: string | undefined): number | null {
  if (value === undefined) return null;
  const figure = value.trim().replace(/%$/, '');
  const pct = Number(figure);
  // Decimal only (80, 80.5, .5, 80%): Number() would take 0x50 as 80 and 1e2 as 100.
  if (!/^(\d+\.?\d*|\.\d+)$/.test(figure) || !Number.isFinite(pct) || pct <= 0)
    throw new UsageError(`--fail-at must be a percentage above 0, such as 80.`);
  return pct;
}

/**
 * The share of a credit used, from the amounts (the report's share is rounded to six places: a
 * spend a hair under the line must not reach it); the report's share when there is no credit.
 */
const usedShare = (used: number, credit: number, reported: number): number => (credit > 0 ? used / credit : reported);

/**
 * Why the `--fail-at` threshold is reached, or null when it is not: the used share of the credit
 * at or above `pct` percent, or the P50 projected share at or above it when the forecast is
 * `settled` (at least 24 hours of data and a complete day with spend), so one early request
 * cannot stop a CI job on a straight line through a few minutes.
 */
export function thresholdReason(report: StatusReport, pct: number, settled: boolean): string | null {
  const credit = report.cycle.credit;
  const limit = pct / 100;
  const used = usedShare(report.credit.used, credit, report.credit.usedFraction);
  const projected =
    credit > 0 ? report.forecast.cycleEndSpend.p50 / credit : report.forecast.cycleEndSpend.p50 > 0 ? 1 : 0;
  if (used >= limit) return `the cycle has used ${formatPercent(used)} of the credit, at or above --fail-at ${pct}%.`;
  if (settled && projected >= limit)
    return `the P50 forecast uses ${formatPercent(projected)} of the credit by the cycle end, at or above --fail-at ${pct}%.`;
  return null;
}

/**
 * The seats `--user` names: the one spelt so, else those equal but for case (e-mail addresses are
 * not told apart by case, and telemetry keeps them as each machine sent them).
 */
export function seatsNamed(seats: readonly SeatStatus[], user: string): SeatStatus[] {
  const exact = seats.filter((s) => s.user === user);
  return exact.length > 0 ? exact : seats.filter((s) => s.user.toLowerCase() === user.toLowerCase());
}

/**
 * `--fail-at` on the pooled credit, or with seats on their own credit per seat: the one named by
 * `--user` (a seat without spend has used nothing), else every seat, a used share before a
 * projection. A seat's projection counts once its own forecast is settled (`seatSettled`, from its
 * user's first request): a newcomer's first request does not stop a team's CI job.
 */
export function seatAwareThreshold(
  report: StatusReport,
  pct: number,
  settled: boolean,
  user: string | undefined,
  seatSettled?: ReadonlyMap<string, boolean>,
): string | null {
  if (report.seats === undefined) return thresholdReason(report, pct, settled);
  const seats = user === undefined ? report.seats : seatsNamed(report.seats, user);
  const limit = pct / 100;
  const used = seats.find((s) => usedShare(s.used, s.credit, s.usedFraction) >= limit);
  if (used !== undefined)
    return `the seat of ${used.user} has used ${formatPercent(usedShare(used.used, used.credit, used.usedFraction))} of its credit, at or above --fail-at ${pct}%.`;
  const projected = (s: SeatStatus): number => (s.credit > 0 ? s.forecast.cycleEndSpend.p50 / s.credit : 0);
  const over = seats.find((s) => (seatSettled?.get(s.user) ?? settled) && projected(s) >= limit);
  if (over !== undefined)
    return `the P50 forecast for the seat of ${over.user} uses ${formatPercent(projected(over))} of its credit by the cycle end, at or above --fail-at ${pct}%.`;
  return null;
}

/** `creditmeter status`: catch up from the logs, then the cycle's credit, burn and forecast. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("this cycle's programmatic credit: used, remaining, burn rates, forecast and overage")
    .option('--json', 'print the status as JSON (a stable contract)')
    .option('--now <iso>', 'evaluate as of this instant (ISO 8601; no offset = the plan zone)')
    .option('--cycle <which>', 'current, previous, next, or a day YYYY-MM-DD (the cycle containing it)', 'current')
    .option(
      '--fail-at <pct>',
      'exit 3 when used, or P50 projected use once a full day of history is known, reaches PCT percent of the credit',
    )
    .option('--user <user>', 'with seatCredit per-seat: the seat --fail-at applies to (default: every seat)')
    .action(async (opts: StatusOptions, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & StatusOptions>();
      const selector = parseCycleSelector(opts.cycle ?? 'current');
      if (selector === null) throw new UsageError(cycleSelectorProblem(opts.cycle ?? ''));
      const failAt = parseFailAt(opts.failAt);
      // The forecast's WebAssembly compiles on another thread while the catch-up stats the logs.
      const compiled = precompileForecast();
      const run = await openCaughtUp(flags);
      await compiled;
      const { ctx, summary } = run;
      // The forecast's history, kept while the store is unchanged (store/bucket-cache.ts).
      const history = run.untouchedStamp === null ? null : new BucketCache(ctx.config.dbPath, run.untouchedStamp);
      // The forecast's paths, kept by their exact input (store/paths-memo.ts).
      const memo = new PathsMemoFile(ctx.config.dbPath);
      try {
        const { plan } = ctx.config;
        const nowMs = parseNow(opts.now, plan.tz);
        sayWarnings(summary.warnings);
        const cycle = selectCycle(selector, nowMs, plan.cycleStartDay, plan.tz);
        const { report, extras } = buildStatusWithExtras(ctx.db, plan, ctx.prices.version, nowMs, cycle, {
          memo,
          ...(history === null
            ? {}
            : {
                buckets: history.source(ctx.db),
                modelSpend: history.modelSpendSource(ctx.db),
                crossing: history.crossingSource(ctx.db),
              }),
        });
        // Before anything is printed: a script reading the status must not take it for an answer.
        if (opts.user !== undefined && report.seats === undefined)
          throw new UsageError(
            '--user applies when seats have their own credit (config seatCredit per-seat, team plans).',
          );
        writeStdout(
          opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : formatStatusText(report, {
                color: useColor(process.stdout),
                assumed: plan.assumed,
                columns: terminalColumns(),
                attribution: spendByWho(ctx.db, plan, cycle, nowMs),
              }),
        );
        // A seat without spend has used nothing, which is also what a misspelt name looks like:
        // say which seats have spent, so a typo in a CI guard does not pass unseen.
        if (opts.user !== undefined && report.seats !== undefined && seatsNamed(report.seats, opts.user).length === 0) {
          const known = report.seats.map((s) => s.user).slice(0, 5);
          process.stderr.write(
            `creditmeter: no programmatic spend by ${JSON.stringify(opts.user)} in this cycle, so its seat has used nothing${known.length > 0 ? ` (seats with spend: ${known.map((u) => JSON.stringify(u)).join(', ')}${report.seats.length > known.length ? ', …' : ''})` : ''}.\n`,
          );
        }
        const reason =
          failAt === null ? null : seatAwareThreshold(report, failAt, extras.settled, opts.user, extras.seatSettled);
        if (reason !== null) {
          process.stderr.write(`creditmeter: ${reason}\n`);
          process.exitCode = EXIT.threshold;
        }
      } finally {
        run.close();
        history?.persist();
        memo.persist();
      }
    });
}
