import type { Cycle } from '../domain/cycle.js';
import type { PriceBreakdown } from '../domain/pricing.js';
import type { OfficialLimits } from '../domain/official-limits.js';
/**
 * Shapes of the dashboard's app state: what the views draw and the navigation that picks it.
 * Pure data; the store (app-store.ts) owns every change.
 */
import type { Attribution, GroupBy, RequestClass, StoredRequest, TokenUsage } from '../domain/types.js';
import type { StatusReport } from '../domain/status-types.js';

/** Groupings `Tab` cycles through at the top level, in order. */
export const TOP_GROUPINGS: readonly GroupBy[] = ['model', 'project', 'day', 'entrypoint', 'session', 'branch'];

/** The class filter `c` cycles through, in order ('all' includes unknown). */
export type ClassFilter = RequestClass | 'all';
export const CLASS_FILTERS: readonly ClassFilter[] = ['programmatic', 'interactive', 'all'];

/** What one list level shows: a grouping, or the requests of a session. */
export type Level = GroupBy | 'request';

/** One step down the drill stack: the row entered at `level`. */
export interface DrillStep {
  level: Level;
  key: string;
  label: string;
  /** The text filter of the level it was entered from: going back restores it. */
  filter?: string;
}

export interface NavState {
  grouping: GroupBy;
  classFilter: ClassFilter;
  /** 0 = the current cycle, -1 = the previous one, ... (never positive). */
  cycleOffset: number;
  drill: DrillStep[];
  /** Selected row key per depth (index = drill.length); kept by key so new rows never move it. */
  cursor: Array<string | null>;
  textFilter: string;
  /** True while the `/` prompt is open. */
  editingFilter: boolean;
  helpOpen: boolean;
  /** The request whose detail is open (Enter on a request row), or null. */
  detailKey: string | null;
  /** The first row of that detail on screen, when it has more rows than the screen holds. */
  detailScroll: number;
  /** The first line of the help on screen, when it has more lines than the screen holds. */
  helpScroll: number;
}

/** Everything about one request, for its detail view. */
export interface RequestDetailView {
  request: StoredRequest;
  /** Cost per token kind and the price rules that applied; null when its model has no price. */
  breakdown: PriceBreakdown | null;
}

/** One row of the current list, whatever the level. */
export interface ViewRow {
  key: string;
  label: string;
  /** Cost by class, on lists that mix classes (class filter "all"): the row's bar is split by class. */
  byClass?: Record<RequestClass, number>;
  /** Requests per class, beside `byClass` (a class of unpriced requests has requests and no cost). */
  classRequests?: Record<RequestClass, number>;
  /** The label as fields (forms, priority) that a narrow column shortens or drops whole. */
  labelFields?: Array<{ forms: string[]; priority: number }>;
  /**
   * The label the breadcrumb keeps once the row is drilled into, when it differs: without figures
   * that go on changing (a session's request count; the totals line under it has the live one).
   */
  stepLabel?: string;
  cost: number;
  /** Fraction of the list's total cost. */
  share: number;
  requests: number;
  tokens: number;
  unpricedRequests: number;
  /** Set on request rows (the last drill level). */
  request?: RequestDetail;
  /**
   * The texts the row shows when they are more than its label (request rows: state/request-text.ts);
   * the `/` filter matches these instead of the label and key. Made on the first filter and kept:
   * a list of 2,000 requests takes about 60 ms to format, too much for every refresh.
   */
  texts?: () => readonly string[];
}

export interface RequestDetail {
  ts: number;
  model: string;
  entrypoint: string | null;
  class: RequestClass;
  project: string | null;
  /** With who ran it, what the store's text filter reads beside model, project and entrypoint. */
  sessionId?: string | null;
  attribution?: Attribution;
  usage: TokenUsage;
  cost: number | null;
}

export interface CatchUpProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export type AlertLevel = 80 | 90 | 100;
export const ALERT_LEVELS: readonly AlertLevel[] = [80, 90, 100];

/** A seat's own credit alert: its levels as the account's, and how many other seats have one. */
export interface SeatAlert {
  user: string;
  credit: number;
  used: AlertLevel | null;
  projected: AlertLevel | null;
  others: number;
}

export interface AlertState {
  /** Crossings already seen this cycle, e.g. `used:80`, `projected:100`. */
  crossed: string[];
  /** Highest level reached by used spend / by the P50 projection; null below 80%. */
  used: AlertLevel | null;
  projected: AlertLevel | null;
  unpriced: Array<{ model: string; requests: number }>;
  /** With a credit per seat: the seat nearest its limit, when one reached 80% (used or projected). */
  seat: SeatAlert | null;
  /** Start of the cycle the crossings belong to (they reset with a new cycle). */
  cycleStartMs: number | null;
}

export interface DashboardData {
  nowMs: number;
  cycle: Cycle;
  status: StatusReport | null;
  /** The current level's rows, text filter applied. */
  rows: ViewRow[];
  /** Rows before the text filter (for "n of m"). */
  rowsTotal: number;
  /**
   * The whole request level when its list holds only the newest REQUEST_LIST_LIMIT of them
   * (state/load-view.ts); null or absent when the list holds them all.
   */
  listed?: { requests: number; cost: number; unpricedRequests: number } | null;
  /** Daily programmatic spend across the cycle, one entry per day. */
  daily: Array<{ day: string; cost: number }>;
  recent: StoredRequest[];
  /** Newest request time in the store, any cycle. */
  lastRequestMs: number | null;
  /** Whether the forecast rests on enough history to raise projected-use alerts (as `--fail-at`). */
  forecastSettled: boolean;
  /** The same for each seat, when seats have their own credit (null otherwise). */
  seatSettled: ReadonlyMap<string, boolean> | null;
  /** The forecast is not computed yet (the first frame is drawn without it, then it follows). */
  forecastPending: boolean;
  /** Counted spend of today and yesterday (local days). */
  days: { today: number; yesterday: number } | null;
  /** Claude Code's own latest 5-hour and 7-day figures, when its status line reported them. */
  official: OfficialLimits | null;
  /** The open request detail (nav.detailKey), when it is still in the store. */
  detail: RequestDetailView | null;
}

export interface DashboardState extends DashboardData {
  nav: NavState;
  alerts: AlertState;
  catchUp: CatchUpProgress | null;
  watching: boolean;
  /**
   * Set when file watching failed for want of system resources (watches, descriptors): the logs
   * are then checked this often (ms) instead of on every change.
   */
  pollEveryMs: number | null;
  /** Roots, or their projects folders, missing now (watched for their return): the live line says so. */
  missingRoots: number;
  /** Set while the live reads fail (a store that cannot be written): the live line says so. */
  readsFailing: boolean;
  /** A one-line message: an exported path, an export error, a demo notice. */
  notice: string | null;
  /** Set while the database is busy (another process writing): what is retried and when. */
  busy: string | null;
  /** Set when no transcripts were found: the roots looked at. */
  noTranscripts: { roots: string[] } | null;
  /** The OTLP logs URL a receiver in the dashboard (`--listen`) takes telemetry on; null when none. */
  receivingOn?: string | null;
  /** Set in demo mode: explains why the demo history is shown. */
  demoNotice: string | null;
}
