/** What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter). */
import type { GroupBy } from '../domain/types.js';
import type { ClassFilter, DashboardState, ViewRow } from './types.js';
import type { Cycle } from '../domain/cycle.js';
import type { DrillDown } from '../output/export-types.js';
import { drillDownOf } from './navigation.js';

export interface ExportRequest {
  nowMs: number;
  cycle: Cycle;
  classFilter: ClassFilter;
  grouping: GroupBy;
  /** Every drill step, as the export's drill-down (output/export-types.ts DrillDown). */
  drill: DrillDown;
  textFilter: string | undefined;
}

/**
 * The export request describing what `state` shows. `list` is the list on screen before its text
 * filter: in a request list a text that no request's model, project or entrypoint holds (a time,
 * a cost) narrows the screen only, and the export takes the whole list (the store's text filter
 * would find none of them).
 */
export function exportRequestOf(state: DashboardState, list: readonly ViewRow[] = []): ExportRequest {
  const text = state.nav.textFilter.trim();
  return {
    nowMs: state.nowMs,
    cycle: state.cycle,
    classFilter: state.nav.classFilter,
    grouping: state.nav.grouping,
    drill: drillDownOf(state.nav.drill),
    textFilter: text === '' || screenOnly(text, list) ? undefined : text,
  };
}

/** Whether `text` is a request list's filter that the export cannot apply (see exportRequestOf). */
export function screenOnly(text: string, list: readonly ViewRow[]): boolean {
  const t = text.toLowerCase();
  const requests = list.filter((r) => r.request !== undefined);
  if (requests.length === 0 || requests.length !== list.length) return false;
  return !requests.some((r) =>
    [r.request!.model, r.request!.project, r.request!.entrypoint].some((f) => f?.toLowerCase().includes(t)),
  );
}
