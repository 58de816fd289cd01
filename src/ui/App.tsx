import type { JSX } from 'react';
import { ColorContext } from './theme.js';
import { StoreContext, useDashboard } from './hooks/use-dashboard.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { DashboardStore } from '../state/app-store.js';
import { Dashboard } from './views/Dashboard.js';
import { DrillDown } from './views/DrillDown.js';
import { Help } from './views/Help.js';

export interface AppProps {
  store: DashboardStore;
  /** False under NO_COLOR. */
  color: boolean;
  planAssumed: boolean;
}

function Screen({ planAssumed }: { planAssumed: boolean }): JSX.Element {
  const state = useDashboard((s) => s);
  const { columns, rows } = useTerminalSize();
  if (state.nav.helpOpen) return <Help width={columns} isActive />;
  const focus = state.nav.editingFilter ? 'filter' : 'list';
  const props = { state, columns, rows, focus, planAssumed } as const;
  return state.nav.drill.length > 0 ? <DrillDown {...props} /> : <Dashboard {...props} />;
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
