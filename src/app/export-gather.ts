/**
 * Collects everything a snapshot shows from the store: the status object, the view's aggregate
 * rows, the chart series, the requests (CSV) and the provenance. Reads only; no rendering.
 */
import type { GroupBy, RequestClass, StoredRequest } from '../domain/types.js';
import { REQUEST_CLASSES } from '../domain/types.js';
import { dayRanges } from '../domain/time.js';
import { buildStatus } from './status.js';
import { dailySpend } from '../store/cycle-queries.js';
import { aggregate, listRequests, totals, type RequestFilter } from '../store/queries.js';
import { coverage } from '../store/coverage.js';
import { priceTableHash } from './prices.js';
import { appVersion } from './version.js';
import type { AppContext } from './context.js';
import type { DailyClassSpend, DrillDown, Snapshot, SnapshotGroups } from '../output/export-types.js';
import { toSnapshotCoverage } from './export-coverage.js';

export interface GatherOptions {
  nowMs: number;
  cycle: { startMs: number; endMs: number };
  classFilter: RequestClass | 'all';
  grouping: GroupBy;
  drill: DrillDown;
  textFilter: string | null;
  withRequests: boolean;
}

const PAGE = 5000;

/** The request filter of a view: the cycle up to `now`, the class, the drill-down and the text filter. */
export function viewFilter(o: GatherOptions): RequestFilter {
  // The same window as the status: requests after `now` are not seen yet.
  const filter: RequestFilter = { fromMs: o.cycle.startMs, toMs: Math.max(o.cycle.startMs, Math.min(o.cycle.endMs, o.nowMs)) };
  if (o.classFilter !== 'all') filter.classes = [o.classFilter];
  if (o.drill.model !== undefined) filter.model = o.drill.model;
  if (o.drill.project !== undefined) filter.project = o.drill.project;
  if (o.drill.sessionId !== undefined) filter.sessionId = o.drill.sessionId;
  if (o.textFilter !== null && o.textFilter !== '') filter.text = o.textFilter;
  return filter;
}

/** Gathers a snapshot of the store as of `nowMs` for one cycle and view. */
export function gatherSnapshot(ctx: AppContext, o: GatherOptions): Snapshot {
  const { db, config } = ctx;
  const tz = config.plan.tz;
  const filter = viewFilter(o);
  const status = buildStatus(db, config.plan, ctx.prices.version, o.nowMs, o.cycle);

  const groups: SnapshotGroups = {
    model: aggregate(db, 'model', filter, tz),
    day: aggregate(db, 'day', filter, tz),
    project: aggregate(db, 'project', filter, tz),
    entrypoint: aggregate(db, 'entrypoint', filter, tz),
    session: aggregate(db, 'session', filter, tz),
  };
  if (groups[o.grouping] === undefined) groups[o.grouping] = aggregate(db, o.grouping, filter, tz);

  const days = dayRanges(o.cycle.startMs, o.cycle.endMs, tz);
  const viewClasses = o.classFilter === 'all' ? REQUEST_CLASSES : [o.classFilter];
  const daily: DailyClassSpend[] = days.map((d) => ({ day: d.day, programmatic: 0, interactive: 0, unknown: 0 }));
  const dayIndex = new Map(days.map((d, i) => [d.day, i]));
  for (const cls of viewClasses) {
    for (const row of aggregate(db, 'day', { ...filter, classes: [cls] }, tz)) {
      const i = dayIndex.get(row.key);
      if (i !== undefined) daily[i]![cls] += row.cost;
    }
  }

  const creditClasses: RequestClass[] = config.plan.countUnknown ? ['programmatic', 'unknown'] : ['programmatic'];
  const spent = new Map(dailySpend(db, o.cycle.startMs, filter.toMs ?? o.cycle.endMs, tz, creditClasses).map((d) => [d.day, d.cost]));
  const creditDaily = days.map((d) => ({ day: d.day, cost: spent.get(d.day) ?? 0 }));

  let requests: StoredRequest[] | null = null;
  if (o.withRequests) {
    requests = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = listRequests(db, filter, { limit: PAGE, offset, newestFirst: false });
      requests.push(...page);
      if (page.length < PAGE) break;
    }
  }

  const generatedAt = Date.now();
  return {
    provenance: {
      creditmeterVersion: appVersion(),
      generatedAt: new Date(generatedAt).toISOString(),
      timezone: tz,
      roots: [...config.roots],
      priceTable: { version: ctx.prices.version, hash: priceTableHash(ctx.prices) },
      coverage: toSnapshotCoverage(coverage(db), generatedAt, config.roots.length),
    },
    view: {
      classFilter: o.classFilter,
      grouping: o.grouping,
      drill: { ...o.drill },
      textFilter: o.textFilter,
      from: new Date(o.cycle.startMs).toISOString(),
      to: new Date(filter.toMs ?? o.cycle.endMs).toISOString(),
    },
    status,
    totals: totals(db, filter),
    groups,
    creditDaily,
    daily,
    requests,
  };
}
