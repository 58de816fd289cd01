/**
 * Snapshot exports: gathers the status, the cycle's rows and the provenance from the store, renders
 * them with one writer and writes the file atomically, never over an existing one unless forced.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isFolder, makeFolders, specialFileKind, throughLinks } from '../store/folders.js';
import { isTextGrouping, whereClause } from '../store/request-filter.js';
import type { ReportBy } from '../domain/types.js';
import { cycleAt } from '../domain/cycle.js';
import { formatLocalDay } from '../output/export-format.js';
import { renderJson } from '../output/export-json.js';
import { renderCsv } from '../output/export-csv.js';
import { renderMarkdown } from '../output/export-md.js';
import { renderHtml } from '../output/export-html.js';
import { defaultExportName, FileExistsError, writeFileAtomic, writeUniqueAtomic } from '../output/export-file.js';
import type { ExportDone, ExportRequest } from '../state/export-request.js';
import { aggregate } from '../store/queries.js';
import type { DrillDown, ExportFormat, Snapshot } from '../output/export-types.js';
import type { RequestClass } from '../domain/types.js';
import { UsageError } from './config.js';
import type { AppContext } from './context.js';
import { gatherSnapshot, viewFilter } from './export-gather.js';

export interface SnapshotOptions {
  format: ExportFormat;
  /** A file, or an existing folder to put a timestamped file in; default: config.exportDir. */
  out?: string;
  /** Written by the dashboard's `e`, which has no --out to suggest. */
  fromDashboard?: boolean;
  /** Replace an existing `out` file. */
  force?: boolean;
  cycle?: { startMs: number; endMs: number };
  classFilter?: RequestClass | 'all';
  /** The view's grouping (the dashboard's); default `model`. */
  grouping?: ReportBy;
  /** CSV only: one row per group of this grouping instead of one row per request. */
  by?: ReportBy;
  drill?: DrillDown;
  textFilter?: string;
  /** The instant to evaluate the status at (default: now). */
  nowMs?: number;
}

/** Renders a gathered snapshot in `format` (`by` picks the CSV's aggregate rows). */
export function renderSnapshot(snapshot: Snapshot, format: ExportFormat, by: ReportBy | null = null): string {
  switch (format) {
    case 'json':
      return renderJson(snapshot);
    case 'csv':
      return renderCsv(snapshot, by);
    case 'md':
      return renderMarkdown(snapshot);
    case 'html':
      return renderHtml(snapshot);
  }
}

/** Gathers and renders without writing (for `--out -` and tests). */
export function buildSnapshotText(ctx: AppContext, options: SnapshotOptions): { snapshot: Snapshot; text: string } {
  const nowMs = options.nowMs ?? Date.now();
  const plan = ctx.config.plan;
  const cycle = options.cycle ?? cycleAt(nowMs, plan.cycleStartDay, plan.tz);
  const wantRequests = options.format === 'csv' && options.by === undefined;
  const snapshot = gatherSnapshot(ctx, {
    nowMs,
    cycle,
    classFilter: options.classFilter ?? 'all',
    grouping: options.by ?? options.grouping ?? 'model',
    drill: options.drill ?? {},
    textFilter: options.textFilter ?? null,
    withRequests: wantRequests,
  });
  return { snapshot, text: renderSnapshot(snapshot, options.format, options.by ?? null) };
}

/**
 * Writes one snapshot file and returns its path. Without `out` (or with `out` naming a folder) the
 * file is `creditmeter-<cycle start>-<YYYYMMDD-HHMMSS>.<ext>`, made unique. An existing `out` file
 * is a UsageError unless `force`. The write is atomic: no partial file, no temp file left behind.
 */
export function writeSnapshot(ctx: AppContext, options: SnapshotOptions): string {
  const { snapshot, text } = buildSnapshotText(ctx, options);
  const tz = snapshot.status.cycle.timezone;
  const name = defaultExportName(
    formatLocalDay(snapshot.status.cycle.start, tz),
    Date.parse(snapshot.provenance.generatedAt),
    tz,
    options.format,
  );
  if (options.out === undefined || isFolder(options.out)) {
    const dir = resolve(options.out ?? ctx.config.exportDir);
    try {
      makeFolders(dir);
      return writeUniqueAtomic(dir, name, text);
    } catch (err) {
      throw cannotWrite(
        dir,
        err,
        options.out !== undefined
          ? 'Choose another --out.'
          : options.fromDashboard
            ? 'Set another export folder (creditmeter config set exportDir DIR).'
            : 'Set another export folder (creditmeter config set exportDir DIR) or pass --out.',
      );
    }
  }
  const path = resolve(options.out);
  // A device or a pipe (`--out /dev/stdout`) is never replaced by a file: standard output is `--out -`.
  const special = specialFileKind(path);
  if (special !== null)
    throw new UsageError(
      `${path} is ${special}, not a file: it was left as it is. Pass --out - for standard output, or choose another --out.`,
    );
  const parent = resolve(path, '..');
  if (!existsSync(parent))
    throw new UsageError(`The folder ${parent} does not exist; create it or choose another --out.`);
  try {
    // Through a symbolic link, --force replaces the file it points to and keeps the link.
    writeFileAtomic(options.force === true ? throughLinks(path) : path, text, options.force ?? false);
  } catch (err) {
    if (err instanceof FileExistsError)
      throw new UsageError(`${path} already exists; pass --force to replace it, or choose another --out.`);
    throw cannotWrite(path, err, 'Choose another --out.');
  }
  return path;
}

/** Why a snapshot could not be written to `where`, in one sentence (not the temp file's errno text). */
function cannotWrite(where: string, err: unknown, advice: string): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space is left on the device',
    EDQUOT: 'the disk quota is used up',
    ENOENT: 'files cannot be created there',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
  };
  const reason = (code !== undefined ? reasons[code] : undefined) ?? (err as Error).message;
  return new Error(`Could not write the snapshot to ${where}: ${reason}. ${advice}`);
}

/**
 * The dashboard's `e` key: an exporter writing JSON snapshots of the view into the export folder.
 * Above the request level, the screen's text filter reads its rows' names, the store's reads each
 * request's model, project, session, entrypoint and who ran it: the text goes to the export only
 * when it keeps the rows the screen keeps, and only at a level whose name the store's filter
 * reads; else the export takes the whole list (`wholeList`), as a request list's time or cost does.
 */
export function snapshotExporter(ctx: AppContext): (req: ExportRequest) => ExportDone {
  return (req) => {
    const base = {
      format: 'json' as const,
      cycle: req.cycle,
      classFilter: req.classFilter,
      grouping: req.grouping,
      drill: req.drill,
      nowMs: req.nowMs,
      fromDashboard: true,
    };
    const text = req.textFilter !== undefined && (req.shown === undefined || sameRows(ctx, req, req.shown));
    return {
      path: writeSnapshot(ctx, { ...base, ...(text ? { textFilter: req.textFilter } : {}) }),
      wholeList: req.textFilter !== undefined && !text,
    };
  };
}

/**
 * Whether the store's text filter keeps exactly the rows `shown` lists at its level, each whole (a
 * session shown by its first request's project can hold requests of another project).
 */
function sameRows(ctx: AppContext, req: ExportRequest, shown: NonNullable<ExportRequest['shown']>): boolean {
  if (!isTextGrouping(shown.level)) return false;
  const filter = viewFilter(
    {
      nowMs: req.nowMs,
      cycle: req.cycle,
      classFilter: req.classFilter,
      grouping: req.grouping,
      drill: req.drill,
      textFilter: req.textFilter ?? null,
      withRequests: false,
    },
    ctx.config.plan.tz,
  );
  const kept = new Map(
    aggregate(ctx.db, shown.level as ReportBy, filter, ctx.config.plan.tz).map((r) => [r.key, r.requests]),
  );
  return kept.size === shown.rows.length && shown.rows.every((r) => kept.get(r.key) === r.requests);
}

/**
 * The drill-down as stored. A session may be named by the start of its id (the dashboard shows
 * eight characters): the one session whose id starts so is taken; several are a UsageError that
 * lists them. `unmatched` names each part no stored request has (the snapshot would be empty
 * without a word otherwise), for a warning.
 */
export function resolveDrill(
  ctx: AppContext,
  drill: DrillDown,
  text?: string,
): { drill: DrillDown; unmatched: string[] } {
  const out: DrillDown = { ...drill };
  const unmatched: string[] = [];
  const has = (column: 'model' | 'project' | 'session_id', value: string): boolean =>
    ctx.db.prepare(`SELECT 1 FROM requests WHERE ${column} = ? LIMIT 1`).get(value) !== undefined;
  if (drill.model !== undefined && !has('model', drill.model)) {
    // Model ids are lower case as stored (CLAUDE-OPUS-4-5 names claude-opus-4-5); a model named as
    // `prices` lists it (claude-opus-4-5) where the logs name it with its date
    // (claude-opus-4-5-20251101): the one stored model so dated is taken.
    const model = drill.model.toLowerCase();
    const dated = has('model', model)
      ? [model]
      : (ctx.db
          .prepare(
            "SELECT DISTINCT model FROM requests WHERE length(model) = ? + 9 AND substr(model, 1, ?) = ? AND substr(model, ? + 1) GLOB '-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' ORDER BY model LIMIT 6",
          )
          .pluck()
          .all(model.length, model.length, model, model.length) as string[]);
    if (dated.length === 1) out.model = dated[0]!;
    else if (dated.length > 1)
      throw new UsageError(
        `--model ${drill.model} names ${dated.length} stored models (${dated.join(', ')}): give one of them.`,
      );
    else unmatched.push(`--model ${drill.model}`);
  }
  if (drill.project !== undefined && !has('project', drill.project)) unmatched.push(`--project ${drill.project}`);
  const session = drill.sessionId;
  if (session !== undefined && !has('session_id', session)) {
    const starting = ctx.db
      .prepare(
        'SELECT DISTINCT session_id FROM requests WHERE session_id IS NOT NULL AND substr(session_id, 1, ?) = ? LIMIT 6',
      )
      .pluck()
      .all(session.length, session) as string[];
    if (starting.length === 1) out.sessionId = starting[0]!;
    else if (starting.length > 1)
      throw new UsageError(
        `--session ${session} starts ${starting.length > 5 ? 'more than five' : starting.length} sessions' ids (${starting.slice(0, 5).join(', ')}): give more of the id.`,
      );
    else unmatched.push(`--session ${session}`);
  }
  if (text !== undefined && text.trim() !== '') {
    const where = whereClause({ text });
    if (ctx.db.prepare(`SELECT 1 FROM requests ${where.sql} LIMIT 1`).get(...where.params) === undefined)
      unmatched.push(`--filter ${text}`);
  }
  return { drill: out, unmatched };
}
