/** The dashboard's `e` key: a JSON snapshot of the view on screen, written by the export module. */
import type { AppContext } from '../app/context.js';
import { writeSnapshot } from '../app/export.js';
import type { ExportRequest } from './export-request.js';

/** An exporter writing JSON snapshots into the configured export folder; returns the file path. */
export function snapshotExporter(ctx: AppContext): (req: ExportRequest) => string {
  return (req) =>
    writeSnapshot(ctx, {
      format: 'json',
      cycle: req.cycle,
      classFilter: req.classFilter,
      grouping: req.grouping,
      drill: req.drill,
      ...(req.textFilter ? { textFilter: req.textFilter } : {}),
      nowMs: req.nowMs,
    });
}
