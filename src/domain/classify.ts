import type { FileSignals, RequestClass } from './types.js';

/**
 * Built-in entrypoint -> class mapping. Claude Code treats exactly `sdk-cli`, `sdk-ts` and
 * `sdk-py` as SDK; GitHub Action, `mcp serve` and `bench` runs are non-interactive too.
 * Every other value means a person is driving. Config can override any entry.
 */
export const DEFAULT_ENTRYPOINT_CLASSES: Readonly<Record<string, RequestClass>> = {
  'sdk-cli': 'programmatic',
  'sdk-ts': 'programmatic',
  'sdk-py': 'programmatic',
  'claude-code-github-action': 'programmatic',
  mcp: 'programmatic',
  bench: 'programmatic',
};

/** Class of a line from its top-level `entrypoint`; null when the line has none (use the session fallback). */
export function classOfEntrypoint(
  entrypoint: string | null,
  mapping: Readonly<Record<string, RequestClass>>,
): RequestClass | null {
  if (entrypoint === null || entrypoint === '') return null;
  return mapping[entrypoint] ?? 'interactive';
}

/**
 * Fallback class of a session whose lines carry no entrypoint, from the signals of all its files:
 * file-history-snapshot lines mean interactive; a file opening with queue-operation or a user line
 * with promptSource "sdk" means programmatic; a session listed in history.jsonl means interactive.
 */
export function classOfSession(signals: FileSignals, inHistory: boolean): RequestClass {
  if (signals.fileHistorySnapshot) return 'interactive';
  if (signals.queueOperationFirst || signals.promptSourceSdk) return 'programmatic';
  if (inHistory) return 'interactive';
  return 'unknown';
}

/** The meta key under which a store keeps the mapping its rows were classified by. */
export const CLASS_MAPPING_META = 'class_mapping';

/**
 * The entrypoint -> class overrides as a store keeps them (sorted by entrypoint): a store whose
 * kept mapping differs has rows to reclassify.
 */
export function classMappingKey(classes: Readonly<Record<string, RequestClass>>): string {
  return JSON.stringify(Object.entries(classes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
