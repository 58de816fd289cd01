/**
 * Collects everything a snapshot shows from the store: the status object, the view's aggregate
 * rows, the chart series, the requests (CSV) and the provenance. Reads only; no rendering.
 */
import { resolve } from 'node:path';
import { countedClasses } from '../domain/credit.js';
import { countedUntil } from '../domain/cycle.js';
import type { ReportBy, RequestClass, StoredRequest } from '../domain/types.js';
import { REQUEST_CLASSES } from '../domain/types.js';
import { dayRanges, endOfDay, startOfDay } from '../domain/time.js';
import { buildStatus } from '../services/status.js';
import { dailySpend } from '../store/cycle-queries.js';
import {
  aggregate,
  attributionPresent,
  listRequests,
  ownCostComparison,
  type RequestFilter,
} from '../store/queries.js';
import { telemetryCounts } from '../store/telemetry-writer.js';
import { roundUsd } from '../domain/format.js';
import type { Db } from '../store/database.js';
import { mergeByKey, sumRows } from '../output/export-rows.js';
import { coverage } from '../store/coverage.js';
import { priceTableHash } from './prices.js';
import { appVersion } from './version.js';
import type { AppContext } from './context.js';
import type {
  DailyClassSpend,
  DrillDown,
  Snapshot,
  SnapshotGroups,
  SnapshotTelemetry,
} from '../output/export-types.js';
import { toSnapshotCoverage } from './export-coverage.js';

export interface GatherOptions {
  nowMs: number;
  cycle: { startMs: number; endMs: number };
  classFilter: RequestClass | 'all';
  grouping: ReportBy;
  drill: DrillDown;
  textFilter: string | null;
  withRequests: boolean;
}

const PAGE = 5000;

/**
 * Every request of `filter`, oldest first, read page by page as the caller iterates. Pages follow
 * the last (ts, key) seen instead of an ever-growing OFFSET, so the cost stays linear.
 */
export function* requestsOldestFirst(db: Db, filter: RequestFilter, pageSize = PAGE): Generator<StoredRequest> {
  let from = filter.fromMs ?? 0;
  let skip = 0;
  for (;;) {
    const page = listRequests(db, { ...filter, fromMs: from }, { limit: pageSize, offset: skip, newestFirst: false });
    yield* page;
    if (page.length < pageSize) return;
    const lastTs = page[page.length - 1]!.ts;
    let sameTs = 0;
    for (let i = page.length - 1; i >= 0 && page[i]!.ts === lastTs; i--) sameTs++;
    skip = lastTs === from ? skip + page.length : sameTs;
    from = lastTs;
  }
}

/** The request filter of a view: the cycle up to `now`, the class, the drill-down and the text filter. */
export function viewFilter(o: GatherOptions, tz: string): RequestFilter {
  // The same window as the status: requests after `now` are not seen yet.
  const filter: RequestFilter = { fromMs: o.cycle.startMs, toMs: countedUntil(o.cycle, o.nowMs) };
  if (o.classFilter !== 'all') filter.classes = [o.classFilter];
  const { day, ...fields } = o.drill;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (filter as Record<string, unknown>)[k] = v;
  if (day !== undefined) {
    // A day of the drill-down: its local hours within the window (an empty window outside it).
    const from = startOfDay(day, tz);
    const to = endOfDay(day, tz);
    if (from !== null) filter.fromMs = Math.max(filter.fromMs!, from);
    if (to !== null) filter.toMs = Math.max(filter.fromMs!, Math.min(filter.toMs!, to));
  }
  if (o.textFilter !== null && o.textFilter !== '') filter.text = o.textFilter;
  return filter;
}

/** Gathers a snapshot of the store as of `nowMs` for one cycle and view. */
export function gatherSnapshot(ctx: AppContext, o: GatherOptions): Snapshot {
  const { db, config } = ctx;
  const tz = config.plan.tz;
  const filter = viewFilter(o, tz);
  const status = buildStatus(db, config.plan, ctx.prices.version, o.nowMs, o.cycle);

  // Day rows per class feed the daily bars; summed, they are the view's day rows.
  const days = dayRanges(o.cycle.startMs, o.cycle.endMs, tz);
  const viewClasses = o.classFilter === 'all' ? REQUEST_CLASSES : [o.classFilter];
  const classDays = viewClasses.map((cls) => ({ cls, rows: aggregate(db, 'day', { ...filter, classes: [cls] }, tz) }));
  const daily: DailyClassSpend[] = days.map((d) => ({ day: d.day, programmatic: 0, interactive: 0, unknown: 0 }));
  const dayIndex = new Map(days.map((d, i) => [d.day, i]));
  for (const { cls, rows } of classDays) {
    for (const row of rows) {
      const i = dayIndex.get(row.key);
      if (i !== undefined) daily[i]![cls] += row.cost;
    }
  }

  const groups: SnapshotGroups = {
    model: aggregate(db, 'model', filter, tz),
    day: mergeByKey(classDays.map((c) => c.rows)),
    project: aggregate(db, 'project', filter, tz),
    entrypoint: aggregate(db, 'entrypoint', filter, tz),
    session: aggregate(db, 'session', filter, tz),
  };
  // Who ran it (user, repo, workflow, run, host, source), when the store has telemetry's attribution.
  for (const by of attributionPresent(db)) groups[by] = aggregate(db, by, filter, tz);
  if (groups[o.grouping] === undefined) groups[o.grouping] = aggregate(db, o.grouping, filter, tz);
  // A project drilled into from the list of projects shows its branches (the dashboard's next
  // level there; from a model, a day or an entrypoint, sessions come next).
  if (o.grouping === 'project' && o.drill.project !== undefined && o.drill.branch === undefined)
    groups.branch = aggregate(db, 'branch', filter, tz);

  const creditClasses = countedClasses(config.plan);
  const spent = new Map(
    // The credit's own line covers the cycle up to now, whatever day the view drills into.
    dailySpend(db, o.cycle.startMs, countedUntil(o.cycle, o.nowMs), tz, creditClasses).map((d) => [d.day, d.cost]),
  );
  const creditDaily = days.map((d) => ({ day: d.day, cost: spent.get(d.day) ?? 0 }));

  const generatedAt = Date.now();
  return {
    provenance: {
      creditmeterVersion: appVersion(),
      generatedAt: new Date(generatedAt).toISOString(),
      timezone: tz,
      // Whole paths: a snapshot is read elsewhere, where a path relative to this run means nothing.
      roots: config.roots.map((r) => resolve(r)),
      priceTable: { version: ctx.prices.version, hash: priceTableHash(ctx.prices) },
      coverage: toSnapshotCoverage(coverage(db), generatedAt, config.roots.length),
      telemetry: telemetrySummary(db, filter),
    },
    view: {
      classFilter: o.classFilter,
      grouping: o.grouping,
      drill: { ...o.drill },
      textFilter: o.textFilter,
      from: new Date(filter.fromMs ?? o.cycle.startMs).toISOString(),
      to: new Date(filter.toMs ?? o.cycle.endMs).toISOString(),
    },
    status,
    totals: sumRows(groups.model, 'total'),
    groups,
    creditDaily,
    daily,
    requests: o.withRequests ? requestsOldestFirst(db, filter) : null,
  };
}

function telemetrySummary(db: Db, filter: RequestFilter): SnapshotTelemetry {
  const own = ownCostComparison(db, filter);
  const otelOnly = aggregate(db, 'source', filter, 'UTC').find((r) => r.key === 'otel')?.requests ?? 0;
  return {
    counts: telemetryCounts(db),
    telemetryOnlyRequests: otelOnly,
    ownCost: {
      requests: own.requests,
      creditmeterCost: roundUsd(own.creditmeterCost),
      claudeCodeCost: roundUsd(own.claudeCodeCost),
      difference: roundUsd(own.creditmeterCost - own.claudeCodeCost),
    },
  };
}
