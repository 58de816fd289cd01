/** Key handling of the list views (dashboard and drill-down), driven by the keymap. */
import { useApp, useInput, type Key } from 'ink';
import { useContext } from 'react';
import type { DashboardActions } from '../../state/app-store.js';
import { actionFor, type KeyAction } from '../keymap.js';
import { StoreContext } from './use-dashboard.js';

/** Runs a keymap action against the store; `pageSize` is the visible list height. */
export function runAction(action: KeyAction, actions: DashboardActions, pageSize: number, exit: () => void): void {
  switch (action) {
    case 'up':
      return actions.move(-1);
    case 'down':
      return actions.move(1);
    case 'pageUp':
      return actions.move(-Math.max(1, pageSize));
    case 'pageDown':
      return actions.move(Math.max(1, pageSize));
    case 'first':
      return actions.jump('first');
    case 'last':
      return actions.jump('last');
    case 'drill':
      return actions.drill();
    case 'back':
      return actions.back();
    case 'grouping':
      return actions.nextGrouping();
    case 'classFilter':
      return actions.nextClassFilter();
    case 'prevCycle':
      return actions.shiftCycle(-1);
    case 'nextCycle':
      return actions.shiftCycle(1);
    case 'filter':
      return actions.openFilter();
    case 'export':
      void actions.exportView();
      return;
    case 'help':
      return actions.toggleHelp(true);
    case 'quit':
      return exit();
  }
}

/** The one input handler of a list view; inactive while another view has the focus. */
export function useListKeys(isActive: boolean, pageSize: number): void {
  const store = useContext(StoreContext);
  const { exit } = useApp();
  useInput(
    (input, key) => {
      if (!store) return;
      // Every key of a burst, in order (a quit ends the burst).
      for (const [one, k] of splitKeys(input, key)) {
        const action = actionFor(one, k);
        if (action === null) continue;
        runAction(action, store.getState().actions, pageSize, exit);
        if (action === 'quit') return;
      }
    },
    { isActive },
  );
}

/**
 * The keys of one input event. Ink splits escape sequences apart but hands a run of plain
 * characters typed or repeated faster than a frame ("jjj", "j q", two Tabs) over as one string:
 * each character is a key of its own, in order.
 */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  if (input.length <= 1 || input.includes('\u001b')) return [[input, key]];
  return [...input].map((ch): [string, Key] => {
    const tab = ch === '\t';
    const enter = ch === '\r' || ch === '\n';
    const backspace = ch === '\u007f' || ch === '\b';
    const special = tab || enter || backspace;
    return [
      special ? '' : ch,
      { ...key, tab, return: enter, backspace, ctrl: false, meta: false, shift: /[A-Z]/.test(ch) },
    ];
  });
}
