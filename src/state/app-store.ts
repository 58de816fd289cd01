/**
 * The dashboard's app store (zustand, vanilla): data read from the store's queries plus the
 * navigation, alerts and live status. Refreshes are throttled and only happen when asked
 * (new data, a key, the minute clock), so an idle dashboard does no work.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DashboardSource } from './data-source.js';
import { emptyAlerts, updateAlerts } from './alerts.js';
import { busyDelayMs, busyNotice, isBusyError } from './busy.js';
import { describeSqliteError } from '../store/database.js';
import { loadView } from './load-view.js';
import * as nav from './navigation.js';
import { throttle } from './throttle.js';
import type { CatchUpProgress, DashboardState, NavState, ViewRow } from './types.js';
import type { ExportDone, ExportRequest } from './export-request.js';
import { exportRequestOf } from './export-request.js';

export interface DashboardActions {
  /** Re-reads the store now. */
  refresh(): void;
  /** Re-reads the store soon: at most once per refresh interval, never losing the last request. */
  requestRefresh(): void;
  setCatchUp(progress: CatchUpProgress | null): void;
  setWatching(watching: boolean): void;
  /** Says that the logs are checked every `ms` instead of watched (null: watched again). */
  setPolling(ms: number | null): void;
  /** Says how many roots (or their projects folders) are missing now. */
  setMissingRoots(count: number): void;
  /** Says that the live reads fail (true) or read again (false). */
  setReadsFailing(failing: boolean): void;
  setNoTranscripts(roots: string[] | null): void;
  /** The OTLP logs URL the dashboard's receiver takes telemetry on. */
  setReceivingOn(url: string | null): void;
  setDemoNotice(text: string | null): void;
  /** A one-line message that goes away by itself (`sticky`: stays until replaced). */
  showNotice(text: string, sticky?: boolean): void;
  /** Ends the catch-up display (its progress line). */
  endCatchUp(): void;
  /** Shows (text) or clears (null) a busy-database notice of one part of the app. */
  setBusy(part: BusyPart, text: string | null): void;
  move(delta: number): void;
  jump(to: 'first' | 'last'): void;
  /** Scrolls the open request detail or the help by `delta` lines, up to `max` (the lines the screen cannot hold). */
  scroll(view: 'detail' | 'help', delta: number, max: number): void;
  drill(): void;
  back(): void;
  nextGrouping(): void;
  nextClassFilter(): void;
  shiftCycle(delta: number): void;
  openFilter(): void;
  setFilterText(text: string): void;
  closeFilter(keep: boolean): void;
  toggleHelp(open?: boolean): void;
  exportView(): Promise<void>;
  /** Starts the minute clock (time-dependent figures: days left, last-hour burn); returns a stop. */
  startClock(everyMs?: number): () => void;
  dispose(): void;
}

/** The parts that can wait for a busy database: reading the logs, re-reading the store. */
export type BusyPart = 'ingest' | 'refresh';

export type DashboardStoreState = DashboardState & { actions: DashboardActions };
export type DashboardStore = StoreApi<DashboardStoreState>;

/** How long a message (an export path, an export error) stays on screen. */
export const NOTICE_MS = 8_000;
const NO_EARLIER_CYCLE = 'No earlier cycle holds requests.';
const NO_REQUESTS_YET = 'No requests stored yet: no earlier cycle.';
/** What Tab says below the top list. */
const TAB_BELOW_TOP = 'Tab changes the grouping of the top list: Esc goes back to it.';

export interface StoreDeps {
  /** How long messages stay (NOTICE_MS unless a test wants it short). */
  noticeMs?: number;
  source: DashboardSource;
  now?: () => number;
  /** Rings the terminal bell (called once per new alert crossing when `bell` is on). */
  ring?: () => void;
  bell?: boolean;
  /** Writes a snapshot of the view and returns its path. */
  exporter?: (request: ExportRequest) => string | ExportDone | Promise<string | ExportDone>;
  /** Minimum gap between refreshes driven by new data (default 100 ms: 10 per second). */
  refreshIntervalMs?: number;
  /** Gap while the initial catch-up runs (default 1000 ms, so reading is not slowed down). */
  catchUpIntervalMs?: number;
  /**
   * Draw the first frame without the forecast (the slowest part of a read), and read it again
   * with the forecast right after: the screen appears sooner, the forecast fills in a moment later.
   */
  deferFirstForecast?: boolean;
  /**
   * Told of a read the store refused for another reason than being busy (a damaged file, a disk
   * error): the first read's, before any frame, ends the dashboard as every command ends on it.
   */
  onReadFailure?: (err: unknown) => void;
}

/** Builds the store and reads the first frame synchronously. */
export function createDashboardStore(deps: StoreDeps): DashboardStore {
  const now = deps.now ?? Date.now;
  const interval = deps.refreshIntervalMs ?? 100;
  const catchUpInterval = deps.catchUpIntervalMs ?? 1000;
  let unfiltered: ViewRow[] = [];
  let clock: ReturnType<typeof setInterval> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let noticeTimer: ReturnType<typeof setTimeout> | null = null;
  let forecastTimer: ReturnType<typeof setTimeout> | null = null;
  /** The first read (see `deferFirstForecast`), set up with the store and run once it exists. */
  let firstRead = (): void => undefined;
  let busyAttempt = 0;
  const busyParts = new Map<BusyPart, string>();

  const store = createStore<DashboardStoreState>()((set, get) => {
    /** A message that goes away by itself, so it never keeps the list pushed down. */
    const flash = (text: string, ms = deps.noticeMs ?? NOTICE_MS): void => {
      if (noticeTimer) clearTimeout(noticeTimer);
      set({ notice: text });
      noticeTimer = setTimeout(() => {
        noticeTimer = null;
        if (get().notice === text) set({ notice: null });
      }, ms);
      noticeTimer.unref?.();
    };
    const readNav = (next: NavState, withoutForecast = false): void => {
      const nowMs = now();
      const data = loadView(deps.source, next, nowMs, withoutForecast);
      unfiltered = data.rows;
      const rows = nav.applyTextFilter(data.rows, next.textFilter);
      let alerts = get().alerts;
      if (next.cycleOffset === 0 && data.status) {
        const update = updateAlerts(alerts, data.status, data.cycle.startMs, data.forecastSettled, data.seatSettled);
        alerts = update.alerts;
        const quiet = get().catchUp !== null;
        // Once per crossing per cycle, across restarts and dashboards on one store: the store keeps
        // what was rung (and what a catch-up met, quietly). With the bell off, nothing is kept.
        if (update.newCrossings.length > 0 && deps.bell !== false) {
          const rung = deps.source.rungCrossings?.(data.cycle.startMs) ?? [];
          const fresh = update.newCrossings.filter((c) => !rung.includes(c));
          if (fresh.length > 0) {
            if (!quiet) deps.ring?.();
            deps.source.rememberCrossings?.(data.cycle.startMs, fresh);
          }
        }
      }
      set({ ...data, rows, rowsTotal: unfiltered.length, nav: next, alerts });
    };
    const setBusy = (part: BusyPart, text: string | null): void => {
      if (text === null) busyParts.delete(part);
      else busyParts.set(part, text);
      const busy = [...busyParts.values()][0] ?? null;
      if (busy !== get().busy) set({ busy });
    };
    /**
     * Reads the store for `next`. A busy database keeps the new navigation, shows a notice and
     * tries again later (growing delays); any other failure becomes a notice. Never throws.
     */
    const safeRead = (next: NavState, withoutForecast = false): void => {
      try {
        readNav(next, withoutForecast);
        busyAttempt = 0;
        setBusy('refresh', null);
      } catch (err) {
        if (!isBusyError(err)) {
          deps.onReadFailure?.(err);
          // The store's own sentence where SQLite's error is one (a damaged file names --rebuild).
          const why = describeSqliteError(err) ?? `Reading the store failed: ${(err as Error).message}`;
          return set({ nav: next, notice: why });
        }
        const delay = busyDelayMs(busyAttempt++);
        set({ nav: next });
        setBusy('refresh', busyNotice('refreshing', delay));
        if (retry === null) {
          retry = setTimeout(() => {
            retry = null;
            safeRead(get().nav);
          }, delay);
        }
      }
    };
    const setNav = (next: NavState): void => {
      if (next !== get().nav) safeRead(next);
    };
    const refetch = (): void => safeRead(get().nav);
    const refresher = throttle(refetch, interval);
    const rowsOf = (): ViewRow[] => get().rows;

    const actions: DashboardActions = {
      refresh: refetch,
      requestRefresh: () => refresher.request(),
      setCatchUp(progress) {
        refresher.setInterval(progress ? catchUpInterval : interval);
        set({ catchUp: progress });
      },
      setWatching: (watching) => set({ watching }),
      setPolling: (pollEveryMs) => set({ pollEveryMs }),
      setMissingRoots: (missingRoots) => set({ missingRoots }),
      setReadsFailing: (readsFailing) => set({ readsFailing }),
      setNoTranscripts: (roots) => set({ noTranscripts: roots ? { roots } : null }),
      setReceivingOn: (receivingOn) => set({ receivingOn }),
      setDemoNotice: (demoNotice) => set({ demoNotice }),
      showNotice(text, sticky = false) {
        if (sticky) {
          if (noticeTimer) clearTimeout(noticeTimer);
          noticeTimer = null;
          set({ notice: text });
        } else flash(text, NOTICE_MS * 2);
      },
      endCatchUp: () => set({ catchUp: null }),
      setBusy,
      move: (delta) => set({ nav: nav.moveSelection(get().nav, rowsOf(), { delta }) }),
      jump: (to) => set({ nav: nav.moveSelection(get().nav, rowsOf(), { to }) }),
      scroll(view, delta, max) {
        const now = get().nav;
        const field = view === 'detail' ? 'detailScroll' : 'helpScroll';
        const next = Math.max(0, Math.min(Math.max(0, max), now[field] + delta));
        if (next !== now[field]) set({ nav: { ...now, [field]: next } });
      },
      drill: () => setNav(nav.drillInto(get().nav, rowsOf())),
      back: () => {
        const now = get().nav;
        // Esc that only clears a level's kept filter keeps the row it showed selected.
        const shown = now.detailKey === null && now.textFilter !== '' ? nav.keepShownSelection(now, rowsOf()) : now;
        setNav(nav.drillBack(shown));
      },
      nextGrouping() {
        // The grouping is the top list's: below it, Tab says so rather than doing nothing.
        if (get().nav.drill.length > 0) return flash(TAB_BELOW_TOP);
        // Back at the top list, that notice is done with.
        if (get().notice === TAB_BELOW_TOP) set({ notice: null });
        setNav(nav.nextGrouping(get().nav, deps.source.groupings?.() ?? []));
      },
      nextClassFilter: () => setNav(nav.nextClassFilter(get().nav, (get().status?.unknown.requests ?? 0) > 0)),
      shiftCycle(delta) {
        const shifted = nav.shiftCycleOffset(get().nav, delta);
        if (shifted === get().nav) return;
        // Back no further than the cycle of the oldest stored request.
        const oldest = delta < 0 ? deps.source.oldestRequestMs?.() : undefined;
        if (oldest !== undefined && (oldest === null || deps.source.cycle(now(), shifted.cycleOffset).endMs <= oldest))
          return flash(oldest === null ? NO_REQUESTS_YET : NO_EARLIER_CYCLE);
        // Once the cycle moves, the notice that it could not is stale.
        if (get().notice === NO_EARLIER_CYCLE || get().notice === NO_REQUESTS_YET) set({ notice: null });
        // Another cycle has other rows: go back to the top level, keeping the top-level selection.
        // The top level's own text filter comes back with it, as going back does.
        const textFilter = shifted.drill[0]?.filter ?? shifted.textFilter;
        setNav({ ...shifted, drill: [], cursor: [shifted.cursor[0] ?? null], textFilter });
      },
      openFilter: () => set({ nav: { ...get().nav, editingFilter: true } }),
      setFilterText(text) {
        // Typing keeps the remembered row: a letter that hides it, then Backspace, bring it back.
        const next = { ...get().nav, textFilter: text };
        set({ nav: next, rows: nav.applyTextFilter(unfiltered, text) });
      },
      closeFilter(keep) {
        const now = keep ? get().nav : nav.keepShownSelection(get().nav, rowsOf());
        const next = { ...now, editingFilter: false, textFilter: keep ? now.textFilter : '' };
        set({ nav: next, rows: nav.applyTextFilter(unfiltered, next.textFilter) });
      },
      toggleHelp: (open) => set({ nav: { ...get().nav, helpOpen: open ?? !get().nav.helpOpen, helpScroll: 0 } }),
      async exportView() {
        if (!deps.exporter) return flash('Export is not available here.');
        try {
          const request = exportRequestOf(get(), unfiltered);
          const done = await deps.exporter(request);
          const path = typeof done === 'string' ? done : done.path;
          const whole = request.textFilter === undefined || (typeof done !== 'string' && done.wholeList);
          const typed = get().nav.textFilter.trim();
          const inDetail = get().nav.detailKey !== null;
          flash(
            typed !== '' && whole
              ? `Exported to ${path} (the whole list: "${typed}" narrows the screen only)`
              : inDetail
                ? `Exported to ${path} (the list this request is in)`
                : `Exported to ${path}`,
          );
        } catch (err) {
          flash(`Export failed: ${(err as Error).message}`, NOTICE_MS * 2);
        }
      },
      startClock(everyMs = 60_000) {
        if (clock) clearInterval(clock);
        clock = setInterval(() => refresher.request(), everyMs);
        clock.unref?.();
        return () => {
          if (clock) clearInterval(clock);
          clock = null;
        };
      },
      dispose() {
        refresher.cancel();
        if (retry) clearTimeout(retry);
        retry = null;
        if (clock) clearInterval(clock);
        clock = null;
        if (noticeTimer) clearTimeout(noticeTimer);
        noticeTimer = null;
        if (forecastTimer) clearTimeout(forecastTimer);
        forecastTimer = null;
      },
    };
    firstRead = (): void => {
      if (!deps.deferFirstForecast) return refetch();
      safeRead(get().nav, true);
      forecastTimer = setTimeout(() => {
        forecastTimer = null;
        refetch();
      }, 0);
    };
    return {
      nowMs: now(),
      cycle: { startMs: 0, endMs: 0 },
      status: null,
      rows: [],
      rowsTotal: 0,
      listed: null,
      daily: [],
      recent: [],
      lastRequestMs: null,
      forecastSettled: true,
      seatSettled: null,
      forecastPending: false,
      days: null,
      official: null,
      detail: null,
      nav: nav.initialNav(),
      alerts: emptyAlerts(),
      catchUp: null,
      watching: false,
      pollEveryMs: null,
      missingRoots: 0,
      readsFailing: false,
      notice: null,
      busy: null,
      noTranscripts: null,
      receivingOn: null,
      demoNotice: null,
      actions,
    };
  });
  firstRead();
  return store;
}
