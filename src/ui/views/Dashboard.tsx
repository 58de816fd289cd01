import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { currentLevel, selectedIndex } from '../../state/navigation.js';
import type { DashboardState } from '../../state/types.js';
import { AlertBanner, alertLines } from '../components/AlertBanner.js';
import { Burn, burnText } from '../components/Burn.js';
import { CreditGauge, gaugeScale } from '../components/CreditGauge.js';
import { Footer } from '../components/Footer.js';
import { ForecastBand } from '../components/ForecastBand.js';
import { Header } from '../components/Header.js';
import { ModelBars } from '../components/ModelBars.js';
import { RecentRequests } from '../components/RecentRequests.js';
import { FilterPrompt } from '../components/FilterPrompt.js';
import { useListKeys } from '../hooks/use-list-keys.js';
import { noTranscriptsLines } from '../messages.js';
import { useTone } from '../theme.js';
import { dashboardLayout } from './layout.js';

export interface ViewProps {
  state: DashboardState;
  columns: number;
  rows: number;
  /** Which input handler is live: the list keys, the `/` prompt, or none (help is open). */
  focus: 'list' | 'filter' | 'none';
  planAssumed: boolean;
}

/** Lines shown above the footer: the demo notice, the export path, the no-transcripts help. */
export function noticeLines(state: DashboardState): string[] {
  const out: string[] = [];
  if (state.demoNotice) out.push(state.demoNotice);
  if (state.noTranscripts && state.rowsTotal === 0) out.push(...noTranscriptsLines(state.noTranscripts.roots));
  return out;
}

/** The main screen: header, credit gauge, forecast, burn, per-group bars, recent requests, alerts. */
export function Dashboard({ state, columns, rows, focus, planAssumed }: ViewProps): JSX.Element | null {
  const tone = useTone();
  const status = state.status;
  const width = Math.max(20, columns);
  const notices = noticeLines(state);
  const alerts = status ? alertLines(state.alerts, status).length : 0;
  const burnLines = status && 10 + burnText(status.burnRate).length + 3 + state.daily.length > width ? 2 : 1;
  const prompt = state.nav.editingFilter ? 1 : 0;
  const { listHeight, recentCount, split } = dashboardLayout({
    columns: width,
    rows,
    alertLines: alerts,
    noticeLines: notices.length + (state.notice ? 1 : 0) + prompt,
    burnLines,
  });
  useListKeys(focus === 'list', listHeight);
  if (!status) return <Text>Reading the store…</Text>;
  const scale = gaugeScale(status);
  const listWidth = split ? Math.floor(width * 0.58) : width;
  const level = currentLevel(state.nav);
  return (
    <Box flexDirection="column" width={width}>
      <Header
        status={status}
        nowMs={state.nowMs}
        width={width}
        cycleOffset={state.nav.cycleOffset}
        watching={state.watching}
        lastRequestMs={state.lastRequestMs}
        catchUp={state.catchUp}
        planAssumed={planAssumed}
      />
      <CreditGauge status={status} scale={scale} width={width} />
      <ForecastBand status={status} scale={scale} width={width} />
      <Burn burn={status.burnRate} daily={state.daily} width={width} />
      <AlertBanner alerts={state.alerts} status={status} width={width} />
      <Box flexDirection="row">
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
        />
        {split ? (
          <Box marginLeft={2}>
            <RecentRequests requests={state.recent} count={recentCount} width={width - listWidth - 2} tz={status.cycle.timezone} dated />
          </Box>
        ) : null}
      </Box>
      {!split && recentCount > 0 ? <RecentRequests requests={state.recent} count={recentCount} width={width} tz={status.cycle.timezone} /> : null}
      {notices.map((n) => (
        <Text key={n} color={tone('yellow')} wrap="truncate-end">
          {n}
        </Text>
      ))}
      {state.nav.editingFilter ? <FilterPrompt text={state.nav.textFilter} width={width} isActive={focus === 'filter'} /> : null}
      <Footer width={width} notice={state.notice} />
    </Box>
  );
}
