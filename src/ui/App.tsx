import { Box } from 'ink';
import type { JSX } from 'react';
import { ColorContext } from './theme.js';
import { StoreContext, useDashboard } from './hooks/use-dashboard.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { DashboardStore } from '../state/app-store.js';
import { Dashboard } from './views/Dashboard.js';
import { DrillDown } from './views/DrillDown.js';
import { Help } from './views/Help.js';
import { RequestDetail } from './views/RequestDetail.js';

export interface AppProps {
  store: DashboardStore;
  /** False under NO_COLOR. */
  color: boolean;
  planAssumed: boolean;
}

function View({ planAssumed, columns, rows }: { planAssumed: boolean; columns: number; rows: number }): JSX.Element {
  const state = useDashboard((s) => s);
  if (state.nav.helpOpen) return <Help width={columns} isActive />;
  if (state.nav.detailKey !== null)
    return (
      <RequestDetail
        detail={state.detail}
        tz={state.status?.cycle.timezone ?? 'UTC'}
        width={columns}
        height={rows - 1}
      />
    );
  const focus = state.nav.editingFilter ? 'filter' : 'list';
  const props = { state, columns, rows, focus, planAssumed } as const;
  return state.nav.drill.length > 0 ? <DrillDown {...props} /> : <Dashboard {...props} />;
}

/**
 * The focused view, cut to one line under the terminal height: the views drop their lower
 * sections to fit, and whatever still does not fit is clipped at the bottom, so the header never
 * scrolls off and Ink never has to clear the screen to redraw.
 */
function Screen({ planAssumed }: { planAssumed: boolean }): JSX.Element {
  const { columns, rows } = useTerminalSize();
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
