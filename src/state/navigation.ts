/**
 * Pure navigation rules: which level a depth shows, what a drill step filters, and how the
 * selection moves. The selection is a row KEY, so rows arriving or re-sorting never move it.
 */
import type { GroupBy } from '../domain/types.js';
import { endOfDay, startOfDay } from '../domain/time.js';
import type { DrillDown } from '../output/export-types.js';
import {
  CLASS_FILTERS,
  TOP_GROUPINGS,
  type ClassFilter,
  type DrillStep,
  type Level,
  type NavState,
  type ViewRow,
} from './types.js';

/** The levels below each top grouping: Enter goes one to the right, ending at a session's requests. */
const CHAINS: Record<GroupBy, Level[]> = {
  model: ['model', 'project', 'session', 'request'],
  project: ['project', 'branch', 'session', 'request'],
  branch: ['branch', 'session', 'request'],
  session: ['session', 'request'],
  day: ['day', 'model', 'project', 'session', 'request'],
  entrypoint: ['entrypoint', 'model', 'project', 'session', 'request'],
  class: ['class', 'model', 'project', 'session', 'request'],
  user: ['user', 'model', 'session', 'request'],
  repo: ['repo', 'workflow', 'run', 'session', 'request'],
  workflow: ['workflow', 'run', 'session', 'request'],
  run: ['run', 'session', 'request'],
  host: ['host', 'model', 'session', 'request'],
  source: ['source', 'model', 'session', 'request'],
};

/** The first navigation state: model grouping, programmatic spend, the current cycle. */
export function initialNav(): NavState {
  return {
    grouping: 'model',
    classFilter: 'programmatic',
    cycleOffset: 0,
    drill: [],
    cursor: [null],
    textFilter: '',
    editingFilter: false,
    helpOpen: false,
    detailKey: null,
    detailScroll: 0,
    helpScroll: 0,
  };
}

/** The level shown at the current depth. */
export function currentLevel(nav: NavState): Level {
  const chain = CHAINS[nav.grouping];
  return chain[Math.min(nav.drill.length, chain.length - 1)] ?? 'request';
}

/** True when Enter can go deeper from the current level. */
export function canDrill(nav: NavState): boolean {
  return currentLevel(nav) !== 'request';
}

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

/** The drill stack as the fields it narrows (what the list shows and what `e` exports). */
export function drillDownOf(drill: DrillStep[]): DrillDown {
  const out: DrillDown = {};
  for (const step of drill) {
    const field = DRILL_OF_LEVEL[step.level];
    if (field !== undefined) out[field] = step.key;
  }
  return out;
}

/** Narrowing of the request filter contributed by the drill steps: a day as its time window. */
export type DrillFilter = Omit<DrillDown, 'day'> & { fromMs?: number; toMs?: number };

/** The filter the drill stack adds (a day step narrows the time window to that local day). */
export function drillFilter(drill: DrillStep[], tz: string): DrillFilter {
  const { day, ...out }: DrillDown & DrillFilter = drillDownOf(drill);
  if (day !== undefined) {
    const from = startOfDay(day, tz);
    const to = endOfDay(day, tz);
    if (from !== null) out.fromMs = from;
    if (to !== null) out.toMs = to;
  }
  return out;
}

/** Index of the selected row: the row with the remembered key, else the first row. */
export function selectedIndex(nav: NavState, rows: readonly ViewRow[]): number {
  const key = nav.cursor[nav.drill.length] ?? null;
  if (key === null) return 0;
  const i = rows.findIndex((r) => r.key === key);
  return i < 0 ? 0 : i;
}

/** The selected row, or null when the list is empty. */
export function selectedRow(nav: NavState, rows: readonly ViewRow[]): ViewRow | null {
  return rows[selectedIndex(nav, rows)] ?? null;
}

/**
 * The selection kept on the row shown selected in `rows`: a filter that hid the remembered row
 * showed the first one, and once the filter changes or goes, that is the row meant.
 */
export function keepShownSelection(nav: NavState, rows: readonly ViewRow[]): NavState {
  const row = selectedRow(nav, rows);
  return row === null || row.key === (nav.cursor[nav.drill.length] ?? null) ? nav : withCursor(nav, row.key);
}

function withCursor(nav: NavState, key: string | null): NavState {
  const cursor = nav.cursor.slice(0, nav.drill.length + 1);
  cursor[nav.drill.length] = key;
  return { ...nav, cursor };
}

/** Moves the selection by `delta` rows (clamped), or to an absolute end with `to`. */
export function moveSelection(
  nav: NavState,
  rows: readonly ViewRow[],
  move: { delta: number } | { to: 'first' | 'last' },
): NavState {
  if (rows.length === 0) return nav;
  const from = selectedIndex(nav, rows);
  const target =
    'to' in move
      ? move.to === 'first'
        ? 0
        : rows.length - 1
      : Math.max(0, Math.min(rows.length - 1, from + move.delta));
  return withCursor(nav, rows[target]!.key);
}

/** Enters the selected row; unchanged at the last level or on an empty list. */
export function drillInto(nav: NavState, rows: readonly ViewRow[]): NavState {
  const row = selectedRow(nav, rows);
  if (!row) return nav;
  // A request row opens its detail; Esc (back) closes it.
  if (!canDrill(nav)) return row.request ? { ...withCursor(nav, row.key), detailKey: row.key, detailScroll: 0 } : nav;
  const base = withCursor(nav, row.key);
  const step: DrillStep = {
    level: currentLevel(nav),
    key: row.key,
    label: row.stepLabel ?? row.label,
    filter: nav.textFilter,
  };
  return { ...base, drill: [...nav.drill, step], cursor: [...base.cursor, null], textFilter: '' };
}

/** Goes one level up, back to the row that was entered (its key is still in the cursor). */
export function drillBack(nav: NavState): NavState {
  if (nav.detailKey !== null) return { ...nav, detailKey: null, detailScroll: 0 };
  // A kept filter goes first, at every level: the list it narrowed is shown whole again.
  if (nav.textFilter !== '') return { ...nav, textFilter: '' };
  if (nav.drill.length === 0) return nav;
  const left = nav.drill[nav.drill.length - 1]!;
  return {
    ...nav,
    drill: nav.drill.slice(0, -1),
    cursor: nav.cursor.slice(0, nav.drill.length),
    textFilter: left.filter ?? '',
  };
}

/**
 * Next top-level grouping (Tab); only at the top level, where it resets the selection. `extra`
 * are the attribution groupings the data has (user, repo, workflow, ...), offered after the rest.
 */
export function nextGrouping(nav: NavState, extra: readonly GroupBy[] = []): NavState {
  if (nav.drill.length > 0) return nav;
  const order = [...TOP_GROUPINGS, ...extra.filter((g) => !TOP_GROUPINGS.includes(g))];
  const i = order.indexOf(nav.grouping);
  const grouping = order[(i + 1) % order.length] ?? 'model';
  return { ...nav, grouping, cursor: [null], textFilter: '' };
}

/**
 * Next class filter (c): programmatic -> interactive -> all -> programmatic, with unknown before
 * all when the cycle has unknown-class requests (a list of their own, as interactive has).
 */
export function nextClassFilter(nav: NavState, withUnknown = false): NavState {
  // Unknown stays in the order while it is the filter (another cycle may have none): all comes next.
  const order: readonly ClassFilter[] =
    withUnknown || nav.classFilter === 'unknown' ? ['programmatic', 'interactive', 'unknown', 'all'] : CLASS_FILTERS;
  const i = order.indexOf(nav.classFilter);
  const classFilter: ClassFilter = order[(i + 1) % order.length] ?? 'programmatic';
  return { ...nav, classFilter };
}

/** Previous (-1) or next (+1) cycle; never past the current one. */
export function shiftCycleOffset(nav: NavState, delta: number): NavState {
  const cycleOffset = Math.min(0, nav.cycleOffset + delta);
  return cycleOffset === nav.cycleOffset ? nav : { ...nav, cycleOffset };
}

/**
 * Keeps the rows that show `text` (case-insensitive): a request row in any of its columns (its id is
 * not one of them), another row in its label or its key (a session by its whole id). All rows for
 * empty text.
 */
export function applyTextFilter(rows: ViewRow[], text: string): ViewRow[] {
  const t = text.trim().toLowerCase();
  if (t === '') return rows;
  return rows.filter((r) => (r.texts?.() ?? [r.label, r.key]).some((s) => s.toLowerCase().includes(t)));
}
