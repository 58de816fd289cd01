import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatInt, formatUsdNonZero } from '../../domain/format.js';
import { currentLevel, selectedIndex } from '../../state/navigation.js';
import { Breadcrumb } from '../components/Breadcrumb.js';
import { FilterPrompt } from '../components/FilterPrompt.js';
import { Footer, footerNoticeLines } from '../components/Footer.js';
import { Header } from '../components/Header.js';
import { chargeNote } from '../components/ModelBars.js';
import { unknownCounted } from '../../domain/status-types.js';
import { RequestTable } from '../components/RequestTable.js';
import { RowTable } from '../components/RowTable.js';
import { recordPageSize } from '../hooks/use-list-keys.js';
import { rowRoom } from '../components/MoreRows.js';
import { filterForms, fit, fitFields } from '../bars.js';
import { counted } from '../text.js';
import { drillLayout } from './layout.js';
import { useTone } from '../theme.js';
import type { ViewProps } from './Dashboard.js';

/** One drill level: the breadcrumb, the level's totals, and a bounded window of its rows. */
export function DrillDown({ state, columns, rows, planAssumed }: ViewProps): JSX.Element | null {
  const tone = useTone();
  const width = Math.max(20, columns);
  const extra = footerNoticeLines(state.notice, state.busy, width) + (state.nav.editingFilter ? 1 : 0);
  const { breadcrumb, totals: showTotals, height } = drillLayout(rows, extra);
  // A page is the rows shown: one line less than the list's height when a "+N more" line takes it.
  recordPageSize(Math.max(1, rowRoom(state.rows.length, height).visible));
  const status = state.status;
  if (!status) return <Text>Reading the store…</Text>;
  const level = currentLevel(state.nav);
  const cycleModels = status.byModel.map((m) => m.model);
  const selected = selectedIndex(state.nav, state.rows);
  // A request level longer than its list: the level's own totals, and how much of it is listed.
  const whole = level === 'request' && !state.nav.textFilter ? (state.listed ?? null) : null;
  const cost = whole?.cost ?? state.rows.reduce((s, r) => s + r.cost, 0);
  const reqs = whole?.requests ?? state.rows.reduce((s, r) => s + r.requests, 0);
  // `?` when some of them have no price, as on their rows.
  const unpriced = (whole?.unpricedRequests ?? state.rows.reduce((s, r) => s + r.unpricedRequests, 0)) > 0 ? '?' : '';
  const charged = chargeNote(state.nav.classFilter, unknownCounted(status));
  const shown = formatInt(state.rowsTotal);
  const totals = fitFields(
    [
      { forms: [`${formatUsdNonZero(cost)}${unpriced} in ${counted(reqs, 'request')}`], priority: 0 },
      // Kept as the class is: the totals count more requests than the list holds.
      // ("2,000 listed" alone would read as all of them.)
      ...(whole ? [{ forms: [`newest ${shown} listed`], priority: 1, keep: true }] : []),
      // The class stays: without it the totals would not say what they count.
      { forms: [`${state.nav.classFilter} (${charged})`, state.nav.classFilter], priority: 2, keep: true },
      ...(state.nav.textFilter
        ? [{ forms: filterForms(state.nav.textFilter, state.rows.length, state.rowsTotal), priority: 1, keep: true }]
        : []),
    ],
    width,
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
      {breadcrumb ? <Breadcrumb drill={state.nav.drill} level={level} width={width} /> : null}
      {showTotals ? (
        <Text color={tone('gray')} wrap="truncate-end">
          {fit(totals, width)}
        </Text>
      ) : null}
      {height === 0 ? null : level === 'request' ? (
        <RequestTable
          rows={state.rows}
          selected={selected}
          height={height}
          width={width}
          tz={status.cycle.timezone}
          models={cycleModels}
        />
      ) : (
        <RowTable
          rows={state.rows}
          level={level}
          selected={selected}
          height={height}
          width={width}
          models={cycleModels}
        />
      )}
      {/* A short list leaves its rows above the prompt and the keys, which stay on the last lines. */}
      <Box flexGrow={1} />
      {state.nav.editingFilter ? <FilterPrompt text={state.nav.textFilter} width={width} /> : null}
      <Footer width={width} notice={state.notice} busy={state.busy} drilled />
    </Box>
  );
}
