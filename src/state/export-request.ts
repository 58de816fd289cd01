/** What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter). */
import type { GroupBy } from '../domain/types.js';
import type { ClassFilter, DashboardState } from './types.js';
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

/** The export request describing what `state` shows. */
export function exportRequestOf(state: DashboardState): ExportRequest {
  return {
    nowMs: state.nowMs,
    cycle: state.cycle,
    classFilter: state.nav.classFilter,
    grouping: state.nav.grouping,
    drill: drillDownOf(state.nav.drill),
    textFilter: state.nav.textFilter.trim() || undefined,
  };
}
