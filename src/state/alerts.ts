/**
 * Credit alerts: 80 / 90 / 100 % of the credit, by spend so far and by the P50 projection of the
 * cycle end, plus unpriced models. A crossing is remembered per cycle so the bell rings once.
 */
import type { StatusReport } from '../domain/status-types.js';
import { ALERT_LEVELS, type AlertLevel, type AlertState } from './types.js';

/** No alerts, no crossings. */
export function emptyAlerts(): AlertState {
  return { crossed: [], used: null, projected: null, unpriced: [], cycleStartMs: null };
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
): AlertUpdate {
  const credit = status.cycle.credit;
  const usedFraction = credit > 0 ? status.credit.used / credit : status.credit.used > 0 ? Infinity : 0;
  const projectedFraction = credit > 0 && forecastSettled ? status.forecast.cycleEndSpend.p50 / credit : 0;
  const used = levelOf(usedFraction);
  const projected = levelOf(projectedFraction);
  const seen = prev.cycleStartMs === cycleStartMs ? prev.crossed : [];
  const now: string[] = [];
  for (const level of ALERT_LEVELS) {
    if (used !== null && level <= used) now.push(`used:${level}`);
    if (projected !== null && level <= projected) now.push(`projected:${level}`);
  }
  const newCrossings = now.filter((c) => !seen.includes(c));
  return {
    alerts: {
      crossed: [...seen, ...newCrossings],
      used,
      projected,
      unpriced: status.unpriced.map((u) => ({ model: u.model, requests: u.requests })),
      cycleStartMs,
    },
    newCrossings,
  };
}

/** True when there is something for the banner to say. */
export function hasAlert(alerts: AlertState): boolean {
  return alerts.used !== null || alerts.projected !== null || alerts.unpriced.length > 0;
}
