/**
 * Shared state of one generation run, handed to every session emitter.
 */
import type { TruthTracker } from './truth.js';
import type { TreeCounter } from './tree-writer.js';
import type { Retained } from './sink.js';
import type { SubagentLayout } from './versions.js';

/** One line of `<root>/history.jsonl` (the prompt history of interactive sessions). */
export interface HistoryEntry {
  display: string;
  pastedContents: Record<string, never>;
  timestamp: number;
  project: string;
  sessionId: string;
}

/** Counts of the shapes written, for the manifest. */
export interface ShapeStats {
  sessions: number;
  resumedSessions: number;
  subagentRuns: Record<SubagentLayout, number>;
  missingSubagentFiles: number;
  compactionFiles: number;
  syntheticLines: number;
  sessionsWithoutEntrypoint: number;
}

export function emptyStats(): ShapeStats {
  return {
    sessions: 0,
    resumedSessions: 0,
    subagentRuns: { inline: 0, beside: 0, folder: 0 },
    missingSubagentFiles: 0,
    compactionFiles: 0,
    syntheticLines: 0,
    sessionsWithoutEntrypoint: 0,
  };
}

export interface EmitEnv {
  root: string;
  counter: TreeCounter;
  truth: TruthTracker;
  /** Content-size factor (1 = realistic sizes); adjusted between sessions to meet the byte target. */
  pad: number;
  /** Multiplies the tokens of every request (heavier contexts and replies, same bytes). */
  tokenScale: number;
  /** Cap on a single tool result, in characters. */
  maxToolResult: number;
  endMs: number;
  history: HistoryEntry[];
  /** Lines of sessions that a later session resumes, by plan index. */
  retained: Map<number, Retained[]>;
  subagents: boolean;
  /** Extra delay after each main request (spreads one long session over the range). */
  spreadMs: number;
  /** A session stops once the tree holds this many bytes (the single-file mode). */
  stopBytes: number;
  stats: ShapeStats;
}
