/** What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter). */
import type { GroupBy } from '../domain/types.js';
import type { ClassFilter, DashboardState, ViewRow } from './types.js';
import type { Cycle } from '../domain/cycle.js';
import type { DrillDown } from '../output/export-types.js';
import { applyTextFilter, currentLevel, drillDownOf } from './navigation.js';
import { textFieldsOf } from '../store/request-filter.js';

export interface ExportRequest {
  nowMs: number;
  cycle: Cycle;
  classFilter: ClassFilter;
  grouping: GroupBy;
  /** Every drill step, as the export's drill-down (output/export-types.ts DrillDown). */
  drill: DrillDown;
  textFilter: string | undefined;
  /**
   * Above the request level, with a text filter: the level's grouping and the keys of its rows the
   * screen keeps. The exporter applies the text only when the store's filter keeps the same rows.
   */
  shown?: { level: GroupBy; rows: Array<{ key: string; requests: number }> };
}

/** What the exporter wrote: the file, and whether it took the whole list where the screen was narrowed. */
export interface ExportDone {
  path: string;
  wholeList: boolean;
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
  const level = currentLevel(state.nav);
  const groups = text !== '' && level !== 'request' && list.length > 0 && list.every((r) => r.request === undefined);
  return {
    nowMs: state.nowMs,
    cycle: state.cycle,
    classFilter: state.nav.classFilter,
    grouping: state.nav.grouping,
    drill: drillDownOf(state.nav.drill),
    textFilter: text === '' || screenOnly(text, list) ? undefined : text,
    ...(groups
      ? { shown: { level, rows: applyTextFilter([...list], text).map((r) => ({ key: r.key, requests: r.requests })) } }
      : {}),
  };
}

/** Whether `text` is a request list's filter that the export cannot apply (see exportRequestOf). */
export function screenOnly(text: string, list: readonly ViewRow[]): boolean {
  const t = text.toLowerCase();
  const requests = list.filter((r) => r.request !== undefined);
  if (requests.length === 0 || requests.length !== list.length) return false;
  const onScreen = new Set(applyTextFilter(requests, text).map((r) => r.key));
  const exported = requests.filter((r) => textFieldsOf(r.request!).some((f) => f?.toLowerCase().includes(t)));
  return exported.length !== onScreen.size || exported.some((r) => !onScreen.has(r.key));
}
