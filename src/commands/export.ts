import { Option, type Command } from 'commander';
import { UsageError, type GlobalFlags } from '../app/config.js';
import { openApp } from '../app/context.js';
import { buildSnapshotText, resolveDrill, writeSnapshot, type SnapshotOptions } from '../app/export.js';
import { cycleSelectorProblem, parseCycleSelector, selectCycle } from '../domain/cycle.js';
import { REPORT_BYS, type ReportBy, type RequestClass } from '../domain/types.js';
import { catchUp } from '../ingest/pipeline.js';
import { parseNow } from '../cli/parse-now.js';
import { sayWarnings } from '../cli/warnings.js';
import { writeStdout } from '../cli/stdout.js';
import { EXPORT_FORMATS, type ExportFormat } from '../output/export-types.js';

interface ExportFlags {
  format: ExportFormat;
  out?: string;
  force?: boolean;
  by?: ReportBy;
  cycle?: string;
  class: RequestClass | 'all';
  now?: string;
  model?: string;
  project?: string;
  session?: string;
  filter?: string;
}

/** Turns the command's flags into snapshot options, resolving `--cycle` in the configured zone. */
export function exportOptions(flags: ExportFlags, plan: { cycleStartDay: number; tz: string }): SnapshotOptions {
  const nowMs = parseNow(flags.now, plan.tz);
  const options: SnapshotOptions = {
    format: flags.format,
    nowMs,
    classFilter: flags.class,
    force: flags.force ?? false,
  };
  if (flags.cycle !== undefined) {
    const selector = parseCycleSelector(flags.cycle);
    if (selector === null) throw new UsageError(cycleSelectorProblem(flags.cycle));
    options.cycle = selectCycle(selector, nowMs, plan.cycleStartDay, plan.tz);
  }
  if (flags.out !== undefined && flags.out !== '-') options.out = flags.out;
  if (flags.by !== undefined) {
    if (flags.format === 'csv') options.by = flags.by;
    else options.grouping = flags.by;
  }
  const drill: NonNullable<SnapshotOptions['drill']> = {};
  if (flags.model !== undefined) drill.model = flags.model;
  if (flags.project !== undefined) drill.project = flags.project;
  if (flags.session !== undefined) drill.sessionId = flags.session;
  options.drill = drill;
  if (flags.filter !== undefined) options.textFilter = flags.filter;
  return options;
}

/** `creditmeter export`: catches up from the logs, writes one snapshot file and prints its path. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a snapshot of a cycle (json, csv, md or html) with how it was computed, and print its path')
    .addOption(
      new Option('--format <format>', 'json (status, rows, provenance), csv (one row per request), md or html')
        .choices([...EXPORT_FORMATS])
        .default('json'),
    )
    .option(
      '--out <path>',
      'file to write, or a folder for a timestamped name, or - for stdout (default: the export folder)',
    )
    .option('--force', 'replace --out when it exists')
    .addOption(
      new Option(
        '--by <grouping>',
        'csv: one row per group instead of per request; other formats: the main grouping (as report --by)',
      ).choices([...REPORT_BYS]),
    )
    .option('--cycle <which>', 'current, previous, next, or the cycle containing a day YYYY-MM-DD')
    .addOption(
      new Option('--class <class>', 'only this class of requests in the rows')
        .choices(['programmatic', 'interactive', 'unknown', 'all'])
        .default('all'),
    )
    .option('--now <iso>', 'evaluate as of this instant (ISO 8601; no offset = the plan zone)')
    .option('--model <model>', 'only this model (drill-down)')
    .option('--project <path>', 'only this project (drill-down)')
    .option('--session <id>', 'only this session (drill-down)')
    .option(
      '--filter <text>',
      'only requests whose model, project, session, entrypoint, user, repo or workflow contains this text',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & ExportFlags>();
      const ctx = openApp(flags);
      try {
        const options = exportOptions(flags, ctx.config.plan);
        const summary = await catchUp(ctx);
        sayWarnings(summary.warnings);
        const { drill, unmatched } = resolveDrill(ctx, options.drill ?? {}, options.textFilter);
        options.drill = drill;
        if (unmatched.length > 0)
          process.stderr.write(
            `creditmeter: no stored request matches ${unmatched.join(' and ')}: the snapshot holds no requests of it.\n`,
          );
        if (flags.out === '-') writeStdout(buildSnapshotText(ctx, options).text);
        else writeStdout(`${writeSnapshot(ctx, options)}\n`);
      } finally {
        ctx.close();
      }
    });
}
