/**
 * Reads everything one dashboard frame needs for a navigation state: the status of the viewed
 * cycle, the current level's rows, the daily sparkline and the newest requests.
 */
import { countedClasses } from '../domain/credit.js';
import { countedUntil } from '../domain/cycle.js';
import type { AggregateRow, RequestClass, StoredRequest } from '../domain/types.js';
import { DateTime } from '../domain/luxon.js';
import { headOf } from '../domain/format.js';
import { headToWidth, textWidth } from '../domain/terminal-text.js';
import type { SessionInfo } from '../store/queries.js';
import type { DashboardSource, RequestFilter } from './data-source.js';
import { currentLevel, drillFilter } from './navigation.js';
import { requestTexts } from './request-text.js';
import type { DashboardData, NavState, RequestDetail, ViewRow } from './types.js';

/** Most requests one request level lists, the newest (a bounded window scrolls over them). */
export const REQUEST_LIST_LIMIT = 2000;
/** How many newest requests the dashboard keeps for its "recent" panel. */
export const RECENT_LIMIT = 50;

/** The class list of a class filter (undefined = every class). */
export function classesOf(filter: NavState['classFilter']): RequestClass[] | undefined {
  return filter === 'all' ? undefined : [filter];
}

/** The request filter of the current level: the viewed cycle, the class filter, the drill stack. */
export function levelFilter(nav: NavState, cycle: { startMs: number; endMs: number }, tz: string): RequestFilter {
  const drill = drillFilter(nav.drill, tz);
  const filter: RequestFilter = {
    ...drill,
    fromMs: Math.max(cycle.startMs, drill.fromMs ?? cycle.startMs),
    toMs: Math.min(cycle.endMs, drill.toMs ?? cycle.endMs),
  };
  const classes = classesOf(nav.classFilter);
  if (classes) filter.classes = classes;
  return filter;
}

function tokensOf(r: AggregateRow): number {
  return r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens;
}

/** Aggregate rows as list rows, with each row's share of the list's cost. */
export function groupRows(rows: AggregateRow[]): ViewRow[] {
  const total = rows.reduce((s, r) => s + r.cost, 0);
  return rows.map((r) => ({
    key: r.key,
    label: r.key === '' ? '(none)' : r.key,
    cost: r.cost,
    share: total > 0 ? r.cost / total : 0,
    requests: r.requests,
    tokens: tokensOf(r),
    unpricedRequests: r.unpricedRequests,
  }));
}

/** Stored requests as list rows (the last drill level), with the texts they show in `tz`. */
export function requestRows(requests: StoredRequest[], tz: string): ViewRow[] {
  const total = requests.reduce((s, r) => s + (r.cost ?? 0), 0);
  return requests.map((r) => {
    const u = r.usage;
    let texts: string[] | undefined;
    const request: RequestDetail = {
      ts: r.ts,
      model: r.model,
      entrypoint: r.entrypoint,
      class: r.class,
      project: r.project,
      sessionId: r.sessionId,
      ...(r.attribution ? { attribution: r.attribution } : {}),
      usage: u,
      cost: r.cost,
    };
    return {
      key: r.key,
      label: r.model,
      cost: r.cost ?? 0,
      share: total > 0 ? (r.cost ?? 0) / total : 0,
      requests: 1,
      tokens: u.input + u.output + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h,
      unpricedRequests: r.cost === null ? 1 : 0,
      request,
      // Its project too, as the export's text filter matches it (a `/` then `e` keeps these rows).
      texts: () => (texts ??= [...requestTexts(request, tz), r.project ?? '']),
    };
  });
}

/** The first 8 characters of a session id (as Claude Code shows it), last in a session's label. */
function shortSession(id: string): string {
  return headOf(id, 8);
}

/** The priority of a session label's request count (the field the breadcrumb leaves out). */
const COUNT_PRIORITY = 5;

/**
 * Session rows named as people recognise them: "billing-api · main · Dec 2 09:14 · sdk-cli ·
 * 12 req · 3f2a9c1b" (project, git branch, first request, entrypoint, requests, short id last).
 */
export function labelSessions(rows: ViewRow[], info: Map<string, SessionInfo>, tz: string): ViewRow[] {
  return rows.map((r) => {
    const s = info.get(r.key);
    if (s === undefined) return r;
    // Display order; the priority says what a narrow column keeps: the id, then the project (the
    // same for every row of a project's sessions: it goes before the id), then the start.
    const name = s.project ? projectName(s.project) : '';
    // A long project name is shortened before it goes: a session of it is still told by it.
    const cut = (n: number): string[] => (textWidth(name) > n ? [`${headToWidth(name, n - 1)}…`] : []);
    const fields = [
      { forms: [name, ...cut(48), ...cut(32), ...cut(16), ''], priority: 1 },
      { forms: [s.branch ?? ''], priority: 3 },
      { forms: [DateTime.fromMillis(s.firstTs, { zone: tz }).toFormat('LLL d HH:mm')], priority: 2 },
      { forms: [s.entrypoint ?? ''], priority: 4 },
      { forms: [`${r.requests} req`], priority: COUNT_PRIORITY },
      { forms: [shortSession(r.key)], priority: 0 },
    ].filter((f) => f.forms[0] !== '');
    const stepLabel = fields
      .filter((f) => f.priority !== COUNT_PRIORITY)
      .map((f) => f.forms[0])
      .join(' · ');
    return { ...r, label: fields.map((f) => f.forms[0]).join(' · '), labelFields: fields, stepLabel };
  });
}

/** The requests and cost of a request level that has more than its list holds (null when it has not). */
function wholeLevel(source: DashboardSource, filter: RequestFilter): DashboardData['listed'] {
  let requests = 0;
  let cost = 0;
  let unpricedRequests = 0;
  for (const g of source.groups('model', filter)) {
    requests += g.requests;
    cost += g.cost;
    unpricedRequests += g.unpricedRequests;
  }
  return requests > REQUEST_LIST_LIMIT ? { requests, cost, unpricedRequests } : null;
}

/** The project's folder name (its last path part). */
function projectName(project: string): string {
  const parts = project.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? project;
}

/**
 * One consistent read of the store for `nav` as of `nowMs` (rows not yet text-filtered).
 * `withoutForecast` leaves the forecast of the current cycle out, for a first frame drawn sooner.
 */
export function loadView(
  source: DashboardSource,
  nav: NavState,
  nowMs: number,
  withoutForecast = false,
): DashboardData {
  const cycle = source.cycle(nowMs, nav.cycleOffset);
  const pending = withoutForecast && nowMs < cycle.endMs;
  const status = pending ? source.status(nowMs, cycle, { forecast: false }) : source.status(nowMs, cycle);
  // As status counts it: requests up to now (see countedUntil).
  const shown = { startMs: cycle.startMs, endMs: countedUntil(cycle, nowMs) };
  const filter = levelFilter(nav, shown, source.plan.tz);
  const level = currentLevel(nav);
  let rows: ViewRow[];
  let listed: DashboardData['listed'] = null;
  if (level === 'request') {
    // The newest ones, oldest first: a long session's latest requests stay in reach, and its
    // totals are the whole level's, not the list's.
    const newest = source.requests(filter, REQUEST_LIST_LIMIT, true);
    rows = requestRows(newest.reverse(), source.plan.tz);
    if (newest.length === REQUEST_LIST_LIMIT) listed = wholeLevel(source, filter);
  } else {
    rows = groupRows(source.groups(level, filter));
  }
  if (level === 'session' && source.sessions) rows = labelSessions(rows, source.sessions(filter), source.plan.tz);
  // All classes in one list: each row says which classes its cost comes from.
  if (nav.classFilter === 'all' && level !== 'request' && level !== 'class' && source.classSplit) {
    const split = source.classSplit(level, filter);
    rows = rows.map((r) => {
      const s = split.get(r.key);
      return s ? { ...r, byClass: s.cost, classRequests: s.requests } : r;
    });
  }
  const creditClasses = countedClasses(source.plan);
  return {
    nowMs,
    cycle,
    status,
    rows,
    rowsTotal: rows.length,
    listed,
    // The daily chart follows the class filter (the sparkline beside the rates is drawn from it too).
    daily: source.daily(cycle, classesOf(nav.classFilter) ?? ['programmatic', 'interactive', 'unknown'], shown.endMs),
    // So do the recent requests: a programmatic view lists no interactive request.
    recent: source.requests(
      { fromMs: shown.startMs, toMs: shown.endMs, classes: classesOf(nav.classFilter) },
      RECENT_LIMIT,
      true,
    ),
    lastRequestMs: source.newestRequestMs(nowMs),
    forecastSettled: !pending && (source.forecastSettled?.() ?? true),
    seatSettled: pending ? null : (source.seatSettled?.() ?? null),
    forecastPending: pending,
    days: source.dayTotals?.(nowMs, creditClasses) ?? null,
    official: source.official?.() ?? null,
    detail: nav.detailKey === null ? null : (source.requestDetail?.(nav.detailKey) ?? null),
  };
}
