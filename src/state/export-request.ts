/** What `e` exports: the view on screen (cycle, class filter, grouping, drill-down, text filter). */
import type { GroupBy } from '../domain/types.js';
import type { ClassFilter, DashboardState } from './types.js';
import type { Cycle } from '../domain/cycle.js';
import type { DrillDown } from '../output/export-types.js';
import type { Level } from './types.js';

/** The drill-down field each level's step sets (a request or class step sets none). */
const DRILL_OF_LEVEL: Partial<Record<Level, keyof DrillDown>> = {
  day: 'day',
  model: 'model',
  project: 'project',
  branch: 'branch',
  session: 'sessionId',
  entrypoint: 'entrypoint',
  user: 'user',
  repo: 'repo',
  workflow: 'workflow',
  run: 'runId',
  host: 'host',
  source: 'source',
};

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
  const drill: DrillDown = {};
  for (const step of state.nav.drill) {
    const field = DRILL_OF_LEVEL[step.level];
    if (field !== undefined) drill[field] = step.key;
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
