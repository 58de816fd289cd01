/**
 * Every key of the dashboard, defined once as data: input handling matches against it and the
 * help screen and footer are generated from it.
 */
import type { Key } from 'ink';

export type KeyAction =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'first'
  | 'last'
  | 'drill'
  | 'back'
  | 'grouping'
  | 'classFilter'
  | 'prevCycle'
  | 'nextCycle'
  | 'filter'
  | 'export'
  | 'help'
  | 'quit';

type SpecialKey =
  | 'upArrow'
  | 'downArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'backspace'
  | 'delete'
  | 'tab';

export interface KeyBinding {
  action: KeyAction;
  /** Keys as the help screen shows them. */
  label: string;
  help: string;
  /** Short footer text; bindings without it stay out of the footer. */
  footer?: string;
  /** Plain characters that trigger the action (case-sensitive). */
  chars?: string[];
  special?: SpecialKey[];
  /** Characters that trigger it with Ctrl held. */
  ctrl?: string[];
}

export const KEYMAP: readonly KeyBinding[] = [
  { action: 'up', label: '↑ / k', help: 'move up', footer: '↑↓ move', chars: ['k'], special: ['upArrow'] },
  { action: 'down', label: '↓ / j', help: 'move down', chars: ['j'], special: ['downArrow'] },
  { action: 'pageUp', label: 'PgUp', help: 'one page up', special: ['pageUp'] },
  { action: 'pageDown', label: 'PgDn', help: 'one page down', special: ['pageDown'] },
  { action: 'first', label: 'g / Home', help: 'first row', chars: ['g'], special: ['home'] },
  { action: 'last', label: 'G / End', help: 'last row', chars: ['G'], special: ['end'] },
  {
    action: 'drill',
    label: 'Enter',
    help: "drill into the row: model > projects > sessions > requests > a request's detail (Enter there goes back)",
    footer: '⏎ drill',
    special: ['return'],
  },
  {
    action: 'back',
    label: 'Esc / Backspace',
    help: 'back one level (clears a kept text filter first)',
    footer: 'Esc back',
    special: ['escape', 'backspace', 'delete'],
  },
  {
    action: 'grouping',
    label: 'Tab',
    help: 'grouping of the top list: model, project, day, entrypoint, session, branch; with telemetry also user, repo, workflow, run, host, source',
    footer: 'Tab group',
    special: ['tab'],
  },
  {
    action: 'classFilter',
    label: 'c',
    help: 'class filter: programmatic, interactive, unknown if any, all',
    footer: 'c class',
    chars: ['c'],
  },
  { action: 'prevCycle', label: '[', help: 'previous billing cycle', footer: '[] cycle', chars: ['['] },
  { action: 'nextCycle', label: ']', help: 'next billing cycle (up to the current one)', chars: [']'] },
  {
    action: 'filter',
    label: '/',
    help: 'filter the list by text (Enter keeps, Esc clears)',
    footer: '/ filter',
    chars: ['/'],
  },
  {
    action: 'export',
    label: 'e',
    help: "export a snapshot of this view and show its path (on a request's detail, of its list)",
    footer: 'e export',
    chars: ['e'],
  },
  {
    action: 'help',
    label: '?',
    help: 'this help (↑↓ scroll it when it is taller than the screen; any other key closes it)',
    footer: '? help',
    chars: ['?'],
  },
  {
    action: 'quit',
    label: 'q / Ctrl-C',
    help: 'quit, restoring the terminal',
    footer: 'q quit',
    chars: ['q'],
    ctrl: ['c'],
  },
];

/** The action bound to a key press, or null. */
export function actionFor(input: string, key: Key): KeyAction | null {
  for (const b of KEYMAP) {
    if (key.ctrl) {
      if (b.ctrl?.includes(input)) return b.action;
      continue;
    }
    if (b.special?.some((s) => key[s])) return b.action;
    if (input !== '' && b.chars?.includes(input)) return b.action;
  }
  return null;
}

/** What a key does while the `/` filter prompt has the keyboard. */
export type PromptAction = 'keep' | 'clear' | 'erase' | 'quit';

export interface PromptBinding {
  action: PromptAction;
  special?: SpecialKey[];
  ctrl?: string[];
}

/** The filter prompt's keys; any other printable text is typed into the filter. */
export const PROMPT_KEYMAP: readonly PromptBinding[] = [
  { action: 'keep', special: ['return'] },
  { action: 'clear', special: ['escape'] },
  { action: 'erase', special: ['backspace', 'delete'] },
  { action: 'quit', ctrl: ['c'] },
];

/** In the filter prompt: the action of a key press, the text it types, or nothing. */
export function promptInput(input: string, key: Key): { action: PromptAction } | { text: string } | null {
  for (const b of PROMPT_KEYMAP) {
    if (key.ctrl ? b.ctrl?.includes(input) : b.special?.some((s) => key[s])) return { action: b.action };
  }
  if (key.ctrl || key.meta || input === '' || /[\u0000-\u001f]/.test(input)) return null;
  return { text: input };
}

/** Footer entries dropped first when the terminal is narrow. */
const FOOTER_OPTIONAL: readonly KeyAction[] = [
  'back',
  'up',
  'prevCycle',
  'filter',
  'export',
  'classFilter',
  'grouping',
  'drill',
];

/**
 * The footer: the short labels of the main keys, in keymap order, fitted to `width`. Below the top
 * list (`drilled`), where Tab does nothing and Esc is the way back, Tab's label goes first and
 * Esc's last.
 */
export function footerText(width = Infinity, drilled = false): string {
  let items = KEYMAP.filter((b) => b.footer);
  for (const sep of ['  ', ' ']) {
    const text = items.map((b) => b.footer).join(sep);
    if (text.length <= width) return text;
  }
  const order = drilled
    ? ['grouping' as const, ...FOOTER_OPTIONAL.filter((a) => a !== 'grouping' && a !== 'back'), 'back' as const]
    : FOOTER_OPTIONAL;
  for (const drop of order) {
    items = items.filter((b) => b.action !== drop);
    const text = items.map((b) => b.footer).join(' ');
    if (text.length <= width) return text;
  }
  return items.map((b) => b.footer).join(' ');
}
