/** What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter). */
import type { GroupBy } from '../domain/types.js';
import type { ClassFilter, DashboardState, ViewRow } from './types.js';
import type { Cycle } from '../domain/cycle.js';
import type { DrillDown } from '../output/export-types.js';
import { applyTextFilter, drillDownOf } from './navigation.js';

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
 * filter: in a request list the screen's filter also reads times, tokens and costs, which the
 * store's does not; when the two would keep other requests (a time, a cost, or a text some rows
 * show as a time and others hold in their model), the text narrows the screen only and the export
 * takes the whole list.
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
  const onScreen = new Set(applyTextFilter(requests, text).map((r) => r.key));
  const exported = requests.filter((r) =>
    [r.request!.model, r.request!.project, r.request!.entrypoint].some((f) => f?.toLowerCase().includes(t)),
  );
  return exported.length !== onScreen.size || exported.some((r) => !onScreen.has(r.key));
}
