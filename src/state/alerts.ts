/**
 * Credit alerts: 80 / 90 / 100 % of the credit, by spend so far and by the P50 projection of the
 * cycle end, plus unpriced models. A crossing is remembered per cycle so the bell rings once.
 */
import type { StatusReport } from '../domain/status-types.js';
import { ALERT_LEVELS, type AlertLevel, type AlertState, type SeatAlert } from './types.js';

/** No alerts, no crossings. */
export function emptyAlerts(): AlertState {
  return { crossed: [], used: null, projected: null, unpriced: [], seat: null, cycleStartMs: null };
}

function levelOf(fraction: number): AlertLevel | null {
  let out: AlertLevel | null = null;
  for (const level of ALERT_LEVELS) if (fraction >= level / 100 - 1e-12) out = level;
  return out;
}

export interface AlertUpdate {
  alerts: AlertState;
  /** Crossings not seen before in this cycle (the bell rings when non-empty). */
  newCrossings: string[];
}

/**
 * Alert state after a new status of the CURRENT cycle. Crossings reset when the cycle changes;
 * levels only ratchet up within a cycle for the bell, while the banner follows the numbers.
 * Projected-use alerts wait for a settled forecast (the rule `status --fail-at` follows): a
 * first request of the cycle never rings the bell on its own.
 */
export function updateAlerts(
  prev: AlertState,
  status: StatusReport,
  cycleStartMs: number,
  forecastSettled = true,
  seatSettled: ReadonlyMap<string, boolean> | null = null,
): AlertUpdate {
  const credit = status.cycle.credit;
  const usedFraction = credit > 0 ? status.credit.used / credit : status.credit.used > 0 ? Infinity : 0;
  const projectedFraction = credit > 0 && forecastSettled ? status.forecast.cycleEndSpend.p50 / credit : 0;
  const used = levelOf(usedFraction);
  const projected = levelOf(projectedFraction);
  const seen = prev.cycleStartMs === cycleStartMs ? prev.crossed : [];
  const seat = seatAlert(status, forecastSettled, seatSettled);
  const now: string[] = [];
  for (const level of ALERT_LEVELS) {
    if (used !== null && level <= used) now.push(`used:${level}`);
    if (projected !== null && level <= projected) now.push(`projected:${level}`);
    if (seat?.used != null && level <= seat.used) now.push(`seat-used:${level}`);
    if (seat?.projected != null && level <= seat.projected) now.push(`seat-projected:${level}`);
  }
  const newCrossings = now.filter((c) => !seen.includes(c));
  return {
    alerts: {
      crossed: [...seen, ...newCrossings],
      used,
      projected,
      unpriced: status.unpriced.map((u) => ({ model: u.model, requests: u.requests })),
      seat,
      cycleStartMs,
    },
    newCrossings,
  };
}

/**
 * With a credit per seat, the seat nearest its own limit (its used level first, then its P50
 * projection, which counts once that seat's forecast is settled, as `status --fail-at` counts it),
 * and how many other seats reached 80%; null when none did.
 */
function seatAlert(
  status: StatusReport,
  forecastSettled: boolean,
  seatSettled: ReadonlyMap<string, boolean> | null,
): SeatAlert | null {
  let best: SeatAlert | null = null;
  let alerted = 0;
  const rank = (a: SeatAlert): number => (a.used ?? 0) * 1000 + (a.projected ?? 0);
  for (const s of status.seats ?? []) {
    if (s.credit <= 0) continue;
    const settled = seatSettled?.get(s.user) ?? forecastSettled;
    const a: SeatAlert = {
      user: s.user,
      credit: s.credit,
      used: levelOf(s.used / s.credit),
      projected: settled ? levelOf(s.forecast.cycleEndSpend.p50 / s.credit) : null,
      others: 0,
    };
    if (a.used === null && a.projected === null) continue;
    alerted++;
    if (best === null || rank(a) > rank(best)) best = a;
  }
  return best === null ? null : { ...best, others: alerted - 1 };
}

/** True when there is something for the banner to say. */
export function hasAlert(alerts: AlertState): boolean {
  return alerts.used !== null || alerts.projected !== null || alerts.unpriced.length > 0 || alerts.seat !== null;
}
