/** The JSON snapshot: the `status --json` object, the cycle's rows and the provenance. */
import { roundUsd } from '../domain/format.js';
import type { AggregateRow } from '../domain/types.js';
import { DRILL_FIELDS, type Snapshot } from './export-types.js';

/** Identifies the layout of the JSON snapshot; bumped only on a breaking change. */
export const SNAPSHOT_SCHEMA = 'creditmeter.snapshot/1';

function row(r: AggregateRow): AggregateRow {
  return { ...r, cost: roundUsd(r.cost) };
}

/**
 * Renders the snapshot as pretty JSON: `{ schema, provenance, view, status, totals, byModel, byDay,
 * byProject, byEntrypoint, bySession, dailySpend }` (plus `byClass` when the view groups by class, and
 * byUser, byRepo, byWorkflow, byRun, byHost, bySource when the store has telemetry's attribution).
 * Money is USD rounded to 6 decimals; timestamps are ISO-8601. Every documented key is always
 * present: null, an empty list or zero counts when there is nothing to say.
 */
export function renderJson(s: Snapshot): string {
  const g = s.groups;
  const out = {
    schema: SNAPSHOT_SCHEMA,
    provenance: s.provenance,
    // Every drill-down key is written (null when not drilled into) so readers see a fixed layout.
    view: {
      ...s.view,
      drill: Object.fromEntries(DRILL_FIELDS.map(([field]) => [field, s.view.drill[field] ?? null])),
    },
    status: s.status,
    totals: row(s.totals),
    byModel: g.model.map(row),
    byDay: g.day.map(row),
    byProject: g.project.map(row),
    byEntrypoint: g.entrypoint.map(row),
    bySession: g.session.map(row),
    ...(g.class !== undefined ? { byClass: g.class.map(row) } : {}),
    ...(g.branch !== undefined ? { byBranch: g.branch.map(row) } : {}),
    ...(g.week !== undefined ? { byWeek: g.week.map(row) } : {}),
    ...(g.month !== undefined ? { byMonth: g.month.map(row) } : {}),
    // Attribution groupings, when the store has telemetry's attribution.
    ...(g.user !== undefined ? { byUser: g.user.map(row) } : {}),
    ...(g.repo !== undefined ? { byRepo: g.repo.map(row) } : {}),
    ...(g.workflow !== undefined ? { byWorkflow: g.workflow.map(row) } : {}),
    ...(g.run !== undefined ? { byRun: g.run.map(row) } : {}),
    ...(g.host !== undefined ? { byHost: g.host.map(row) } : {}),
    ...(g.source !== undefined ? { bySource: g.source.map(row) } : {}),
    dailySpend: s.daily.map((d) => ({
      day: d.day,
      programmatic: roundUsd(d.programmatic),
      interactive: roundUsd(d.interactive),
      unknown: roundUsd(d.unknown),
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
