/** What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter). */
import type { GroupBy } from '../domain/types.js';
import type { ClassFilter, DashboardState } from './types.js';
import type { Cycle } from '../domain/cycle.js';

export interface ExportRequest {
  nowMs: number;
  cycle: Cycle;
  classFilter: ClassFilter;
  grouping: GroupBy;
  drill: { model?: string; project?: string; sessionId?: string };
  textFilter: string | undefined;
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
  };
}
