/**
 * What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter),
 * and a plain JSON writer of it for when no snapshot writer is wired in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupBy } from '../domain/types.js';
import type { StatusReport } from '../domain/status-types.js';
import type { ClassFilter, CycleRange, DashboardState, ViewRow } from './types.js';

export interface ExportRequest {
  nowMs: number;
  cycle: CycleRange;
  classFilter: ClassFilter;
  grouping: GroupBy;
  drill: { model?: string; project?: string; sessionId?: string };
  textFilter: string | undefined;
  /** The rows on screen and the status above them (used by the plain JSON writer). */
  rows: ViewRow[];
  status: StatusReport | null;
}

/** The export request describing what `state` shows. */
export function exportRequestOf(state: DashboardState): ExportRequest {
  const drill: ExportRequest['drill'] = {};
  for (const step of state.nav.drill) {
    if (step.level === 'model') drill.model = step.key;
    if (step.level === 'project') drill.project = step.key;
    if (step.level === 'session') drill.sessionId = step.key;
  }
  return {
    nowMs: state.nowMs,
    cycle: state.cycle,
    classFilter: state.nav.classFilter,
    grouping: state.nav.grouping,
    drill,
    textFilter: state.nav.textFilter.trim() || undefined,
    rows: state.rows,
    status: state.status,
  };
}

/**
 * Writes the request as JSON to `dir` (created when missing) and returns the file path:
 * `creditmeter-view-<timestamp>.json`.
 */
export function writeViewJson(dir: string, request: ExportRequest): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(request.nowMs).toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `creditmeter-view-${stamp}.json`);
  const body = {
    generatedAt: new Date(request.nowMs).toISOString(),
    view: {
      cycle: { start: new Date(request.cycle.startMs).toISOString(), end: new Date(request.cycle.endMs).toISOString() },
      classFilter: request.classFilter,
      grouping: request.grouping,
      drill: request.drill,
      textFilter: request.textFilter ?? null,
    },
    status: request.status,
    rows: request.rows,
  };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}
