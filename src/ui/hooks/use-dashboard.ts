/** React access to the dashboard's app store (provided once by App). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DashboardStore, DashboardStoreState } from '../../state/app-store.js';

export const StoreContext = createContext<DashboardStore | null>(null);

/** Subscribes to a slice of the app store; re-renders only when the slice changes. */
export function useDashboard<T>(selector: (s: DashboardStoreState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useDashboard needs the StoreContext provider (App).');
  return useStore(store, selector);
}
