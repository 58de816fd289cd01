/** Key handling of the list views (dashboard and drill-down), driven by the keymap. */
import { useApp, useInput, useStdin, type Key } from 'ink';
import { useContext, useEffect, useRef } from 'react';
import type { DashboardActions, DashboardStore } from '../../state/app-store.js';
import { actionFor, promptInput, type KeyAction } from '../keymap.js';
import { StoreContext } from './use-dashboard.js';
import { withoutLastGrapheme } from '../text.js';

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

/** Rows one key scrolls a view taller than the screen: a row, a screen (`room` rows), or all the way. */
function scrollStep(action: KeyAction, room: number): number {
  if (action === 'up') return -1;
  if (action === 'down') return 1;
  if (action === 'pageUp') return -room;
  if (action === 'pageDown') return room;
  if (action === 'first') return -Infinity;
  if (action === 'last') return Infinity;
  return 0;
}

/** What the scrolling views on screen hold: rows shown, and rows they cannot (recorded as they draw). */
const scroll = { detail: { room: 1, hidden: 0 }, help: { room: 1, hidden: 0 } };

/**
 * The lines of `all` a scrolling view (the request detail, the help) shows in `room` lines from
 * `first` (kept in range); what it holds is recorded for its scrolling keys.
 */
export function scrollWindow<T>(
  view: 'detail' | 'help',
  all: readonly T[],
  room: number,
  first: number,
): { start: number; shown: T[] } {
  scroll[view] = { room: Math.max(1, room), hidden: Math.max(0, all.length - room) };
  const start = Math.max(0, Math.min(first, all.length - room));
  return { start, shown: all.slice(start, start + room) };
}

/** The visible list height of the view on screen (PgUp/PgDn move by it); views record it as they draw. */
const page = { size: 10 };

/** Records the list height of the view being drawn, for PgUp/PgDn (keys go through useAppKeys). */
export function recordPageSize(pageSize: number): void {
  page.size = Math.max(1, pageSize);
}

/**
 * What one key does, given the store as it is at that moment: help open (q quits, any other key
 * closes it), a request's detail (Esc or Enter goes back, e exports its list), the `/` prompt (its own keymap, other
 * text is typed), else the list's keymap. Returns true when the key quit.
 */
export function dispatchKey(store: DashboardStore, one: string, k: Key, exit: () => void): boolean {
  const { actions, nav } = store.getState();
  if (nav.helpOpen) {
    const action = actionFor(one, k);
    if (action === 'quit') return (exit(), true);
    // A help longer than the screen scrolls with the list keys; any other key closes it.
    const delta = action === null || scroll.help.hidden === 0 ? 0 : scrollStep(action, scroll.help.room);
    if (delta !== 0) actions.scroll('help', delta, scroll.help.hidden);
    else actions.toggleHelp(false);
    return false;
  }
  if (nav.editingFilter) {
    const what = promptInput(one, k);
    if (what === null) return false;
    if ('text' in what) actions.setFilterText(nav.textFilter + what.text);
    else if (what.action === 'quit') return (exit(), true);
    else if (what.action === 'keep') actions.closeFilter(true);
    else if (what.action === 'clear') actions.closeFilter(false);
    else actions.setFilterText(withoutLastGrapheme(nav.textFilter));
    return false;
  }
  const action = actionFor(one, k);
  if (action === null) return false;
  if (nav.detailKey !== null) {
    if (action === 'quit') return (exit(), true);
    if (action === 'back' || action === 'drill') actions.back();
    else if (action === 'help') actions.toggleHelp(true);
    // The list the request is in, as `e` on that list exports it (the request among its rows).
    else if (action === 'export') void actions.exportView();
    else {
      // A detail taller than the screen scrolls with the keys that move in a list.
      const delta = scrollStep(action, scroll.detail.room);
      if (delta !== 0) actions.scroll('detail', delta, scroll.detail.hidden);
    }
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
  const { internal_eventEmitter: events } = useStdin();
  // The text of each input event as read, noted by a listener added before useInput's own (effects
  // run in order, and useInput's listener is added again at each render): splitKeys needs what
  // useInput's parsing leaves out of an escape sequence no key sends.
  const raw = useRef('');
  useEffect(() => {
    const note = (data: string | Buffer): void => {
      raw.current = String(data);
    };
    events.on('input', note);
    return () => {
      events.removeListener('input', note);
    };
  }, [events]);
  useInput((input, key) => {
    if (!store) return;
    for (const [one, k] of splitKeys(input, key, raw.current)) if (dispatchKey(store, one, k, exit)) return;
  });
}

/** Keys that useInput names (an event with one of these is a key a terminal sends). */
const NAMED: readonly (keyof Key)[] = [
  'upArrow',
  'downArrow',
  'leftArrow',
  'rightArrow',
  'pageUp',
  'pageDown',
  'home',
  'end',
  'return',
  'escape',
  'tab',
  'backspace',
  'delete',
];

/**
 * An escape sequence shaped like one a key sends, after at most one more ESC (Alt): CSI (`ESC [`)
 * and one of the letters keys end with alone (arrows, Home, End, keypad 5, F1-F4, Shift+Tab,
 * focus), or with numbers before a capital, `~` or `u` (F-keys, Insert, Page keys, modifiers,
 * kitty's keys); or SS3 (`ESC O`) and a capital.
 */
const KEY_SEQUENCE = /^\u001b{1,2}(?:\[\[?[A-FHIOP-SZ]|\[\[?[\d;:]+[A-Z~u]|O[A-Z])$/;

/**
 * rxvt's Shift+Right, Shift+Left and Shift+keypad 5 (`ESC [ c` … `ESC [ e`), which useInput names
 * as keys bound to nothing here. (Its Shift+Up and Shift+Down, `ESC [ a` and `ESC [ b`, stay the
 * arrows that move the list.)
 */
const RXVT_SHIFTED = /^\u001b{1,2}\[[c-e]$/;

/**
 * Escapes typed faster than the terminal is read run into the keys after them: Esc then `[` then
 * `]` arrives as `ESC [ ]`, which reads as an escape sequence no key sends (and Esc Esc [ ] as one
 * with Alt), and useInput keeps only what follows the first ESC. Such a sequence is the keys it is
 * made of: each ESC an Escape, each other character a key of its own.
 */
function typedAhead(rawText: string): string[] | null {
  if (!rawText.startsWith('\u001b') || KEY_SEQUENCE.test(rawText)) return null;
  const body = rawText[1] === '\u001b' ? rawText.slice(2) : rawText.slice(1);
  // ESC [ alone is Esc then [ (read after a pause); ESC O alone is Alt+O, which splitKeys already splits.
  if (body.startsWith('[') || (body.startsWith('O') && body.length > 1)) return [...rawText];
  // Escape then one character: useInput marks Alt only before a letter or digit, and keeps only the
  // character after any other (Esc then ? or / arrived as ? alone; Esc then Tab as a bare tab).
  const chars = [...body];
  if (chars.length === 1 && (body >= ' ' || body === '\t') && body !== '\u007f') return [...rawText];
  return null;
}

/**
 * The keys of one input event. Ink splits escape sequences apart but hands a run of plain
 * characters typed or repeated faster than a frame ("jjj", "j q", two Tabs) over as one string:
 * each character is a key of its own, in order.
 */
export function splitKeys(input: string, key: Key, rawText = ''): Array<[string, Key]> {
  // Escape alone: none of the other named keys the event may carry (Meta+Down is Esc, then Down).
  const escape: Key = {
    ...key,
    ...Object.fromEntries(NAMED.map((n) => [n, false])),
    escape: true,
    meta: false,
    ctrl: false,
    shift: false,
  };
  // (ESC [ and a lowercase c, d or e is one of rxvt's shifted keys to useInput, bound to nothing
  // here, and what Esc typed at once before `[` and one of those letters arrives as.)
  const typed = NAMED.some((name) => key[name] === true) && !RXVT_SHIFTED.test(rawText) ? null : typedAhead(rawText);
  if (typed !== null) {
    // Each a key of its own: none of the names useInput gave the whole sequence.
    const plain: Key = { ...escape, escape: false };
    return typed.map((ch): [string, Key] => (ch === '\u001b' ? ['', escape] : charKey(ch, plain)));
  }
  // Escapes pressed faster than a frame arrive in pairs, read as Meta+Escape; an Escape followed
  // at once by a letter reads as Meta+letter, and by Tab, Enter, Backspace or an arrow as Meta and
  // that key. No key is bound to Meta: these are two keys each.
  if (key.meta && key.escape && input === '\u001b')
    return [
      ['', escape],
      ['', escape],
    ];
  // (Esc Enter reaches here as Meta+Return with the input "\r": the named key decides, not its text.)
  if (
    key.meta &&
    !key.escape &&
    !key.ctrl &&
    ((input.length === 1 && input >= ' ') || NAMED.some((n) => key[n] === true))
  )
    return [['', escape], ...splitKeys(input, { ...key, meta: false })];
  if (input.length <= 1 || input.includes('\u001b')) return [[input, key]];
  return [...input].map((ch) => charKey(ch, key));
}

/**
 * One typed character as the key it is: Tab, Enter and Backspace by name, another control
 * character as Ctrl and its letter (as useInput reads one alone: Ctrl-C in a burst still quits),
 * any other as text.
 */
function charKey(ch: string, key: Key): [string, Key] {
  const tab = ch === '\t';
  const enter = ch === '\r' || ch === '\n';
  const backspace = ch === '\u007f' || ch === '\b';
  const special = tab || enter || backspace;
  const code = ch.charCodeAt(0);
  const ctrl = !special && code >= 1 && code <= 26;
  return [
    special ? '' : ctrl ? String.fromCharCode(code + 96) : ch,
    { ...key, tab, return: enter, backspace, ctrl, meta: false, shift: /[A-Z]/.test(ch) },
  ];
}
