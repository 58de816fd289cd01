import { Box } from 'ink';
import type { JSX } from 'react';
import { ColorContext } from './theme.js';
import { StoreContext, useDashboard } from './hooks/use-dashboard.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useAppKeys } from './hooks/use-list-keys.js';
import type { DashboardStore } from '../state/app-store.js';
import { useShallow } from 'zustand/react/shallow';
import { Dashboard, selectDashboard } from './views/Dashboard.js';
import { DrillDown } from './views/DrillDown.js';
import { Help } from './views/Help.js';
import { RequestDetail } from './views/RequestDetail.js';
import type { PlanAssumed } from './components/Header.js';

export interface AppProps {
  store: DashboardStore;
  /** False under NO_COLOR. */
  color: boolean;
  planAssumed: PlanAssumed;
}

/** Routes to the focused view; it reads only what routing needs, each view selects its own slice. */
function View({
  planAssumed,
  columns,
  rows,
}: {
  planAssumed: PlanAssumed;
  columns: number;
  rows: number;
}): JSX.Element {
  const route = useDashboard(
    useShallow((s) => ({
      help: s.nav.helpOpen,
      detail: s.nav.detailKey !== null,
      drilled: s.nav.drill.length > 0,
    })),
  );
  if (route.help) return <HelpScreen columns={columns} rows={rows} />;
  if (route.detail) return <DetailScreen columns={columns} rows={rows} />;
  return <ListScreen drilled={route.drilled} columns={columns} rows={rows} planAssumed={planAssumed} />;
}

function HelpScreen({ columns, rows }: { columns: number; rows: number }): JSX.Element {
  const scroll = useDashboard((s) => s.nav.helpScroll);
  return <Help width={columns} height={rows - 1} scroll={scroll} />;
}

function DetailScreen({ columns, rows }: { columns: number; rows: number }): JSX.Element {
  const { detail, tz, scroll, notice } = useDashboard(
    useShallow((s) => ({
      detail: s.detail,
      tz: s.status?.cycle.timezone ?? 'UTC',
      scroll: s.nav.detailScroll,
      notice: s.notice,
    })),
  );
  return <RequestDetail detail={detail} tz={tz} width={columns} height={rows - 1} scroll={scroll} notice={notice} />;
}

function ListScreen(props: {
  drilled: boolean;
  columns: number;
  rows: number;
  planAssumed: PlanAssumed;
}): JSX.Element | null {
  const state = useDashboard(useShallow(selectDashboard));
  const view = { state, columns: props.columns, rows: props.rows, planAssumed: props.planAssumed };
  return props.drilled ? <DrillDown {...view} /> : <Dashboard {...view} />;
}

/**
 * The focused view, cut to one line under the terminal height: the views drop their lower
 * sections to fit, and whatever still does not fit is clipped at the bottom, so the header never
 * scrolls off and Ink never has to clear the screen to redraw.
 */
function Screen({ planAssumed }: { planAssumed: PlanAssumed }): JSX.Element {
  const { columns, rows } = useTerminalSize();
  useAppKeys();
  return (
    <Box height={Math.max(1, rows - 1)} overflowY="hidden" flexDirection="column">
      <Box flexDirection="column" flexShrink={0}>
        <View planAssumed={planAssumed} columns={columns} rows={rows} />
      </Box>
    </Box>
  );
}

/** The dashboard app: provides the store and the colour setting, and routes to the focused view. */
export function App({ store, color, planAssumed }: AppProps): JSX.Element {
  return (
    <ColorContext.Provider value={color}>
      <StoreContext.Provider value={store}>
        <Screen planAssumed={planAssumed} />
      </StoreContext.Provider>
    </ColorContext.Provider>
  );
}
