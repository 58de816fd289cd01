/** Key handling of the list views (dashboard and drill-down), driven by the keymap. */
import { useApp, useInput, type Key } from 'ink';
import { useContext } from 'react';
import type { DashboardActions, DashboardStore } from '../../state/app-store.js';
import { actionFor, promptInput, type KeyAction } from '../keymap.js';
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

/** The visible list height of the view on screen (PgUp/PgDn move by it); views record it as they draw. */
const page = { size: 10 };

/** Records the list height of the view being drawn, for PgUp/PgDn (keys go through useAppKeys). */
export function recordPageSize(pageSize: number): void {
  page.size = Math.max(1, pageSize);
}

/**
 * What one key does, given the store as it is at that moment: help open (q quits, any other key
 * closes it), a request's detail (Esc or Enter goes back), the `/` prompt (its own keymap, other
 * text is typed), else the list's keymap. Returns true when the key quit.
 */
export function dispatchKey(store: DashboardStore, one: string, k: Key, exit: () => void): boolean {
  const { actions, nav } = store.getState();
  if (nav.helpOpen) {
    if (actionFor(one, k) === 'quit') return (exit(), true);
    actions.toggleHelp(false);
    return false;
  }
  if (nav.editingFilter) {
    const what = promptInput(one, k);
    if (what === null) return false;
    if ('text' in what) actions.setFilterText(nav.textFilter + what.text);
    else if (what.action === 'quit') return (exit(), true);
    else if (what.action === 'keep') actions.closeFilter(true);
    else if (what.action === 'clear') actions.closeFilter(false);
    else actions.setFilterText(nav.textFilter.slice(0, -1));
    return false;
  }
  const action = actionFor(one, k);
  if (action === null) return false;
  if (nav.detailKey !== null) {
    if (action === 'quit') return (exit(), true);
    if (action === 'back' || action === 'drill') actions.back();
    else if (action === 'help') actions.toggleHelp(true);
    return false;
  }
  runAction(action, actions, page.size, exit);
  return action === 'quit';
}

/**
 * The app's one input handler, always mounted: every key of a burst goes, in order, to whatever
 * the store says has the focus at that key (a view that is being swapped can drop no key).
 */
export function useAppKeys(): void {
  const store = useContext(StoreContext);
  const { exit } = useApp();
  useInput((input, key) => {
    if (!store) return;
    for (const [one, k] of splitKeys(input, key)) if (dispatchKey(store, one, k, exit)) return;
  });
}

/**
 * The keys of one input event. Ink splits escape sequences apart but hands a run of plain
 * characters typed or repeated faster than a frame ("jjj", "j q", two Tabs) over as one string:
 * each character is a key of its own, in order.
 */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  const escape: Key = { ...key, escape: true, meta: false, ctrl: false, shift: false };
  // Escapes pressed faster than a frame arrive in pairs, read as Meta+Escape; an Escape followed
  // at once by a letter reads as Meta+letter. No key is bound to Meta: these are two keys each.
  if (key.meta && key.escape && input === '\u001b')
    return [
      ['', escape],
      ['', escape],
    ];
  if (key.meta && !key.escape && !key.ctrl && input.length === 1 && input >= ' ')
    return [['', escape], ...splitKeys(input, { ...key, meta: false })];
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
