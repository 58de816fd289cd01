/**
 * From decoded log records to the store: billable records validated and priced, the rest counted
 * as ignored, refused ones counted by reason; one transaction per batch. A locked or full store
 * becomes UnavailableError (answered 503: the exporter keeps the batch and retries).
 */
import { toTelemetryEvent, type OtelLogRecord, type TelemetryEvent } from '../domain/telemetry.js';
import { countOf } from '../domain/format.js';
import { describeSqliteError } from '../store/database.js';
import { TelemetryWriter } from '../store/telemetry-writer.js';
import { UnavailableError, type AcceptResult } from './server.js';

/** Running totals of what one receiver took in (for its log line and tests). */
export interface AcceptTotals {
  batches: number;
  events: number;
  /** Of `events`, those seen for the first time (the others were sent again, or pushed too). */
  added: number;
  ignored: number;
  rejected: number;
  /** The refused ones by reason (TelemetryReject). */
  rejectedBy: Record<string, number>;
  /** Kept events with a name over MAX_TEXT characters cut, by attribute (`{ 'workflow.name': 2 }`). */
  cutBy: Record<string, number>;
}

/** Builds the `accept` function of a receiver over one telemetry writer. */
export function acceptInto(
  writer: TelemetryWriter,
  totals: AcceptTotals,
  now: () => number = Date.now,
): (records: Iterable<OtelLogRecord>) => AcceptResult {
  return (records) => {
    const events: TelemetryEvent[] = [];
    const byReason: Record<string, number> = {};
    const cutBy: Record<string, number> = {};
    let ignored = 0;
    let rejected = 0;
    let seen = 0;
    const t = now();
    // Records are taken one by one as they are decoded; a malformed one throws before anything is written.
    for (const r of records) {
      seen++;
      const o = toTelemetryEvent(r, t);
      if (o.kind === 'request') {
        events.push(o.event);
        for (const k of o.cut) cutBy[k] = (cutBy[k] ?? 0) + 1;
      } else if (o.kind === 'ignored') ignored++;
      else {
        rejected++;
        byReason[o.reason] = (byReason[o.reason] ?? 0) + 1;
      }
    }
    const counts: Record<string, number> = { received: events.length, ignored };
    for (const [reason, n] of Object.entries(byReason)) counts[`rejected:${reason}`] = n;
    for (const [attribute, n] of Object.entries(cutBy)) counts[`cut:${attribute}`] = n;
    let added: number;
    try {
      added = writer.write(events, t, counts).added;
    } catch (err) {
      const described = describeSqliteError(err);
      if (described !== null) throw new UnavailableError(described);
      throw err;
    }
    totals.batches++;
    totals.events += events.length;
    totals.added += added;
    totals.ignored += ignored;
    totals.rejected += rejected;
    for (const [reason, n] of Object.entries(byReason))
      totals.rejectedBy[reason] = (totals.rejectedBy[reason] ?? 0) + n;
    for (const [attribute, n] of Object.entries(cutBy)) totals.cutBy[attribute] = (totals.cutBy[attribute] ?? 0) + n;
    const message =
      rejected > 0 ? `${countOf(rejected, 'api_request record')} refused: ${Object.keys(byReason).join(', ')}` : '';
    return { records: seen, rejected, message };
  };
}
