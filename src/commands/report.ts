import type { Command } from 'commander';
import { readOfficial } from '../app/official.js';
import type { GlobalFlags } from '../app/config.js';
import { openCaughtUp } from '../app/caught-up.js';
import { aggregate, ownCostComparison, totals, unpricedModels } from '../store/queries.js';
import { reprice } from '../store/reprice.js';
import { reportCsv, reportJson, type ReportData } from '../output/report-data.js';
import { reportText, unpricedWarning } from '../output/report-text.js';
import { parseReportFlags, reportFilter, reportTitle, type ReportFlags } from './report-options.js';
import { terminalColumns, writeStdout } from '../cli/stdout.js';
import { sayWarnings } from '../cli/warnings.js';

/**
 * `creditmeter report --by model|day|week|month|project|session|entrypoint|class [--since D] [--until D]
 * [--class C|all] [--json|--csv]`: catches up on the logs, then prints grouped usage and cost.
 */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'catch up on the logs, then print usage and cost grouped by model, day, week, month, project, workflow, user, repo, session, class and more (--by)',
    )
    .option(
      '--by <group>',
      'model | day | week (from Monday) | month | project | branch | session | entrypoint | class | user | repo | workflow | run | host | source',
      'model',
    )
    .option('--since <YYYY-MM-DD>', 'first day to include (inclusive, in --tz; YYYYMMDD also works)')
    .option('--until <YYYY-MM-DD>', 'last day to include (inclusive, in --tz; YYYYMMDD also works)')
    .option('--class <class>', 'programmatic | interactive | unknown | all', 'all')
    .option('--json', 'print JSON: {"rows":[...],"totals":{...},"unpriced":[...]}')
    .option('--csv', 'print CSV (RFC 4180), one record per row')
    .action(async (flags: ReportFlags, cmd: Command) => {
      // Flags are checked before anything is opened or read.
      const options = parseReportFlags(flags);
      const run = await openCaughtUp(cmd.optsWithGlobals<GlobalFlags>());
      const { ctx, summary } = run;
      try {
        sayWarnings(summary.warnings);
        // Requests stored before a price file knew their model get priced now.
        reprice(ctx.db, ctx.prices);
        const tz = ctx.config.plan.tz;
        const filter = reportFilter(options, tz);
        const data: ReportData = {
          by: options.by,
          rows: aggregate(ctx.db, options.by, filter, tz),
          totals: totals(ctx.db, filter),
          unpriced: unpricedModels(ctx.db, filter),
          ownCost: ownCostComparison(ctx.db, filter),
          ...(options.by === 'session' ? { sessionOwnCost: ownSessionCosts(ctx.config.dbPath) } : {}),
        };
        if (options.format === 'json') writeStdout(`${JSON.stringify(reportJson(data))}\n`);
        else if (options.format === 'csv') {
          writeStdout(reportCsv(data));
          const warning = unpricedWarning(data);
          if (warning) process.stderr.write(`creditmeter: ${warning}\n`);
        } else {
          writeStdout(reportText(data, reportTitle(options, tz, ctx.prices.version), terminalColumns()));
        }
      } finally {
        run.close();
      }
    });
}

/** Claude Code's own cost of each session its status line reported. */
function ownSessionCosts(dbPath: string): Record<string, number> {
  return Object.fromEntries(Object.entries(readOfficial(dbPath).sessions).map(([id, s]) => [id, s.costUsd]));
}
