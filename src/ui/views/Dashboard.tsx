import { Box, Text } from 'ink';
import { escapeControls, textWidth } from '../../domain/terminal-text.js';
import type { JSX } from 'react';
import { currentLevel, selectedIndex } from '../../state/navigation.js';
import type { AlertState, DashboardState } from '../../state/types.js';
import type { SeatStatus } from '../../domain/status-types.js';
import { formatPercent, formatUsd } from '../../domain/format.js';
import { AlertBanner, alertLines } from '../components/AlertBanner.js';
import { Burn, burnLineCount } from '../components/Burn.js';
import { CreditGauge, gaugeScale } from '../components/CreditGauge.js';
import { Footer, footerNoticeLines } from '../components/Footer.js';
import { ForecastBand } from '../components/ForecastBand.js';
import { Header, type PlanAssumed } from '../components/Header.js';
import { ModelBars } from '../components/ModelBars.js';
import { RecentRequests } from '../components/RecentRequests.js';
import { FilterPrompt } from '../components/FilterPrompt.js';
import { recordPageSize } from '../hooks/use-list-keys.js';
import { rowRoom } from '../components/MoreRows.js';
import { noTranscriptsLines, receivingLines } from '../messages.js';
import { useTone } from '../theme.js';
import { dashboardLayout } from './layout.js';
import { DailyChart } from '../components/DailyChart.js';
import { fit, fitSentence } from '../bars.js';

/** What the main screen reads from the store (App selects exactly this, shallowly compared). */
export type DashboardSlice = Pick<
  DashboardState,
  | 'status'
  | 'nav'
  | 'alerts'
  | 'daily'
  | 'days'
  | 'official'
  | 'recent'
  | 'rows'
  | 'rowsTotal'
  | 'listed'
  | 'notice'
  | 'busy'
  | 'demoNotice'
  | 'noTranscripts'
  | 'receivingOn'
  | 'catchUp'
  | 'watching'
  | 'pollEveryMs'
  | 'missingRoots'
  | 'readsFailing'
  | 'lastRequestMs'
  | 'nowMs'
  | 'forecastPending'
>;

/** Picks the main screen's slice of the store. */
export function selectDashboard(s: DashboardState): DashboardSlice {
  return {
    status: s.status,
    nav: s.nav,
    alerts: s.alerts,
    daily: s.daily,
    days: s.days,
    official: s.official,
    recent: s.recent,
    rows: s.rows,
    rowsTotal: s.rowsTotal,
    listed: s.listed ?? null,
    notice: s.notice,
    busy: s.busy,
    demoNotice: s.demoNotice,
    noTranscripts: s.noTranscripts,
    receivingOn: s.receivingOn ?? null,
    catchUp: s.catchUp,
    watching: s.watching,
    pollEveryMs: s.pollEveryMs,
    missingRoots: s.missingRoots,
    readsFailing: s.readsFailing,
    lastRequestMs: s.lastRequestMs,
    nowMs: s.nowMs,
    forecastPending: s.forecastPending,
  };
}

export interface ViewProps {
  state: DashboardSlice;
  columns: number;
  rows: number;
  planAssumed: PlanAssumed;
}

/** Lines shown above the footer: the seats, the demo notice, the no-transcripts help (fitted to `width`). */
export function noticeLines(
  state: Pick<
    DashboardState,
    'status' | 'nav' | 'demoNotice' | 'noTranscripts' | 'rowsTotal' | 'lastRequestMs' | 'receivingOn'
  >,
  width = Infinity,
): string[] {
  const out: string[] = [];
  const seats = state.status?.seats;
  if (seats !== undefined && state.nav.cycleOffset === 0) out.push(seatsLine(seats, width));
  if (state.demoNotice) out.push(state.demoNotice);
  // Only while the store holds no request at all: a store fed by telemetry (serve) needs no transcripts.
  // Receiving telemetry, where to send it is what matters, not where transcripts were looked for.
  if (state.noTranscripts && state.rowsTotal === 0 && state.lastRequestMs === null)
    out.push(
      ...(state.receivingOn
        ? receivingLines(state.receivingOn, state.noTranscripts.roots)
        : noTranscriptsLines(state.noTranscripts.roots)),
    );
  return out;
}

/**
 * Seats with their own credit, nearest exhaustion first: as many as `width` holds, then "+N more"
 * for the rest; a first seat too long for the line has its name shortened, never its figures.
 */
export function seatsLine(seats: readonly SeatStatus[], width = Infinity): string {
  if (seats.length === 0) return 'Seats: no programmatic spend by any seat yet';
  const figures = seats.map((s) => `${formatPercent(s.usedFraction)} of ${formatUsd(s.credit)}`);
  const names = seats.map((s) => escapeControls(s.user));
  const more = (shown: number): string => (seats.length > shown ? ` · +${seats.length - shown} more` : '');
  const line = (shown: number): string =>
    `Seats: ${names
      .slice(0, shown)
      .map((n, i) => `${n} ${figures[i]}`)
      .join(' · ')}${more(shown)}`;
  for (let shown = Math.min(seats.length, 4); shown >= 1; shown--)
    if (textWidth(line(shown)) <= width) return line(shown);
  const room = width - textWidth(`Seats:  ${figures[0]}${more(1)}`);
  return `Seats: ${fit(names[0]!, Math.max(1, room))} ${figures[0]}${more(1)}`;
}

/** The daily chart's title: which spend it shows. */
function chartTitle(classFilter: DashboardState['nav']['classFilter']): string {
  return classFilter === 'all' ? 'Daily spend, all classes' : `Daily ${classFilter} spend`;
}

/** The main screen: header, credit gauge, forecast, burn, per-group bars, recent requests, alerts. */
export function Dashboard({ state, columns, rows, planAssumed }: ViewProps): JSX.Element | null {
  const tone = useTone();
  const status = state.status;
  const width = Math.max(20, columns);
  const past = state.nav.cycleOffset < 0;
  const notices = noticeLines(state, width);
  // Credit alerts speak of the current cycle; an ended cycle shows its own final result instead,
  // and its unpriced models alone (they explain the ? beside a cost in its lists).
  const shownAlerts: AlertState =
    status && past
      ? {
          ...state.alerts,
          used: null,
          projected: null,
          unpriced: status.unpriced,
        }
      : state.alerts;
  const alerts = status ? alertLines(shownAlerts, status).length : 0;
  const burnLines = status
    ? burnLineCount(status.burnRate, state.daily.length, width, past, state.days !== null && !past)
    : 1;
  const prompt = state.nav.editingFilter ? 1 : 0;
  const { listHeight, recentCount, split, show, chartBars, chartBeside } = dashboardLayout({
    columns: width,
    rows,
    alertLines: alerts,
    noticeLines: notices.length,
    footerLines: footerNoticeLines(state.notice, state.busy, width) + prompt,
    burnLines,
    chart: state.daily.some((d) => d.cost > 0),
    listRows: state.rows.length,
    recentRows: state.recent.length,
    basisLine: !past && (state.forecastPending || status?.forecast.basis !== undefined),
    sparkLine: status ? burnLineCount(status.burnRate, state.daily.length, width, past) === 2 : false,
  });
  // A page is the rows shown: one line less than the list's height when a "+N more" line takes it.
  recordPageSize(Math.max(1, rowRoom(state.rows.length, listHeight).visible));
  if (!status) {
    return (
      <Box flexDirection="column" width={width}>
        <Text>Reading the store…</Text>
        {state.busy ? <Footer width={width} notice={state.notice} busy={state.busy} /> : null}
      </Box>
    );
  }
  const scale = gaugeScale(status);
  const listWidth = split ? Math.floor(width * 0.55) : width;
  const level = currentLevel(state.nav);
  const tz = status.cycle.timezone;
  // The daily chart: above the list, or under it (beside the recent requests) on wide terminals.
  const chart = (chartWidth: number): JSX.Element => (
    <DailyChart daily={state.daily} width={chartWidth} bars={chartBars} title={chartTitle(state.nav.classFilter)} />
  );
  return (
    <Box flexDirection="column" width={width} minHeight={rows - 1}>
      <Header
        status={status}
        nowMs={state.nowMs}
        width={width}
        cycleOffset={state.nav.cycleOffset}
        watching={state.watching}
        pollEveryMs={state.pollEveryMs}
        missingRoots={state.missingRoots}
        readsFailing={state.readsFailing}
        lastRequestMs={state.lastRequestMs}
        catchUp={state.catchUp}
        planAssumed={planAssumed}
        demo={state.demoNotice !== null}
      />
      {show.gauge ? <CreditGauge status={status} scale={scale} width={width} past={past} /> : null}
      {show.forecast ? (
        <ForecastBand
          status={status}
          scale={scale}
          width={width}
          past={past}
          basis={show.basis}
          pending={state.forecastPending}
        />
      ) : null}
      {show.burn ? (
        <Burn
          burn={status.burnRate}
          daily={state.daily}
          width={width}
          past={past}
          days={state.days}
          official={state.official}
          nowMs={state.nowMs}
          tz={tz}
          spark={!show.chart}
        />
      ) : null}
      {show.chart && !chartBeside ? chart(width) : null}
      {show.alerts ? <AlertBanner alerts={shownAlerts} status={status} width={width} /> : null}
      {show.list ? (
        <Box flexDirection="row">
          <Box flexDirection="column" width={listWidth}>
            <ModelBars
              status={status}
              rows={state.rows}
              level={level}
              classFilter={state.nav.classFilter}
              selected={selectedIndex(state.nav, state.rows)}
              height={listHeight}
              width={listWidth}
              textFilter={state.nav.textFilter}
              rowsTotal={state.rowsTotal}
              apart={show.apart}
            />
            {chartBeside ? <Box marginTop={1}>{chart(listWidth)}</Box> : null}
          </Box>
          {split && recentCount > 0 ? (
            <Box marginLeft={2}>
              <RecentRequests
                requests={state.recent}
                count={recentCount}
                width={width - listWidth - 2}
                tz={tz}
                nowMs={state.nowMs}
                past={past}
                classFilter={state.nav.classFilter}
                models={status.byModel.map((m) => m.model)}
              />
            </Box>
          ) : null}
        </Box>
      ) : null}
      {!split && recentCount > 0 ? (
        <RecentRequests
          requests={state.recent}
          count={recentCount}
          width={width}
          tz={tz}
          nowMs={state.nowMs}
          past={past}
          classFilter={state.nav.classFilter}
          models={status.byModel.map((m) => m.model)}
        />
      ) : null}
      {/* Rows no section has a use for go above the notices: the keys stay on the last line. */}
      <Box flexGrow={1} />
      {show.notices
        ? notices.map((n) => (
            <Text key={n} color={tone('yellow')} wrap="truncate-end">
              {fitSentence(n, width)}
            </Text>
          ))
        : null}
      {state.nav.editingFilter ? <FilterPrompt text={state.nav.textFilter} width={width} /> : null}
      <Footer width={width} notice={state.notice} busy={state.busy} />
    </Box>
  );
}
