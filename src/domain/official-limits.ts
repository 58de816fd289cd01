/**
 * Figures Claude Code itself computes and hands to the status-line hook on stdin, which
 * creditmeter cannot derive from the logs: the session's own cost and the subscription's
 * 5-hour and 7-day rate-limit windows. Recorded as they arrive; shown with their age.
 */
import { plausibleUsd } from './plausible.js';

/** One official rate-limit window as last reported. */
export interface OfficialWindow {
  /** 0-100, as Claude Code reports it. */
  usedPercentage: number;
  /** When the window resets (epoch ms), when reported. */
  resetsAt: number | null;
  /** When creditmeter saw it (epoch ms). */
  seenAt: number;
}

/** The newest official figures known, and each session's own cost as Claude Code last gave it. */
export interface OfficialLimits {
  fiveHour: OfficialWindow | null;
  sevenDay: OfficialWindow | null;
  /** Session id → Claude Code's `cost.total_cost_usd` and when it was seen. */
  sessions: Record<string, { costUsd: number; seenAt: number }>;
}

/** What the status-line hook's JSON on stdin tells, each field only when present and well-formed. */
export interface HookInput {
  sessionId: string | null;
  transcriptPath: string | null;
  /** Claude Code's own cost of the session so far (`cost.total_cost_usd`). */
  ccCostUsd: number | null;
  fiveHour: Omit<OfficialWindow, 'seenAt'> | null;
  sevenDay: Omit<OfficialWindow, 'seenAt'> | null;
}

export const EMPTY_HOOK: HookInput = {
  sessionId: null,
  transcriptPath: null,
  ccCostUsd: null,
  fiveHour: null,
  sevenDay: null,
};

const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** An instant given as epoch seconds, epoch ms or an ISO string; null otherwise. */
function instant(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e12 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function window(v: unknown): Omit<OfficialWindow, 'seenAt'> | null {
  const w = obj(v);
  const used = w?.used_percentage;
  if (w === null || typeof used !== 'number' || !Number.isFinite(used) || used < 0 || used > 1000) return null;
  return { usedPercentage: used, resetsAt: instant(w.resets_at) };
}

/** Reads the hook's JSON (a byte-order mark before it is passed over); garbage gives empty fields, never an error. */
export function parseHookInput(raw: string | null): HookInput {
  if (raw === null || raw.trim() === '') return EMPTY_HOOK;
  let v: Record<string, unknown> | null;
  try {
    v = obj(JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw));
  } catch {
    return EMPTY_HOOK;
  }
  if (v === null) return EMPTY_HOOK;
  const sessionId = typeof v.session_id === 'string' && v.session_id.length <= 128 ? v.session_id : null;
  const transcriptPath = typeof v.transcript_path === 'string' ? v.transcript_path : null;
  const cost = obj(v.cost)?.total_cost_usd;
  const limits = obj(v.rate_limits);
  return {
    sessionId,
    transcriptPath,
    ccCostUsd: typeof cost === 'number' && plausibleUsd(cost) ? cost : null,
    fiveHour: window(limits?.five_hour),
    sevenDay: window(limits?.seven_day),
  };
}

/** Most sessions whose own cost is kept (the oldest seen go first). */
export const MAX_SESSIONS_KEPT = 2000;

/** `limits` with what `hook` reports at `nowMs` recorded; the same object when nothing changed. */
export function recordHook(limits: OfficialLimits, hook: HookInput, nowMs: number): OfficialLimits {
  let next = limits;
  const sameWindow = (a: OfficialWindow | null, b: Omit<OfficialWindow, 'seenAt'>): boolean =>
    a !== null && a.usedPercentage === b.usedPercentage && a.resetsAt === b.resetsAt;
  if (hook.fiveHour && !sameWindow(limits.fiveHour, hook.fiveHour))
    next = { ...next, fiveHour: { ...hook.fiveHour, seenAt: nowMs } };
  if (hook.sevenDay && !sameWindow(limits.sevenDay, hook.sevenDay))
    next = { ...next, sevenDay: { ...hook.sevenDay, seenAt: nowMs } };
  if (
    hook.sessionId !== null &&
    hook.ccCostUsd !== null &&
    limits.sessions[hook.sessionId]?.costUsd !== hook.ccCostUsd
  ) {
    const sessions = { ...limits.sessions, [hook.sessionId]: { costUsd: hook.ccCostUsd, seenAt: nowMs } };
    const ids = Object.keys(sessions);
    if (ids.length > MAX_SESSIONS_KEPT) {
      ids.sort((a, b) => sessions[a]!.seenAt - sessions[b]!.seenAt);
      for (const id of ids.slice(0, ids.length - MAX_SESSIONS_KEPT)) delete sessions[id];
    }
    next = { ...next, sessions };
  }
  return next;
}

/** "5h 42% · 7d 18%" style age text: `12 min ago`, `3 h ago`, `2 d ago`. */
export function ageText(seenAt: number, nowMs: number): string {
  const min = Math.max(0, Math.round((nowMs - seenAt) / 60_000));
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} d ago`;
}
