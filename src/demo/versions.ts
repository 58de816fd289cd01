/**
 * Claude Code versions over time and what each version writes. The feature thresholds follow
 * the transcript format notes (entrypoint from 2.1.78, final output on every streamed copy from
 * 2.1.97, the three subagent layouts); the release dates are anchored on real transcripts.
 */

export interface Version {
  text: string;
  /** major * 1e6 + minor * 1e3 + patch: comparable as a number. */
  code: number;
}

/** Parses `2.1.39` into a comparable version. */
export function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map((p) => Number.parseInt(p, 10));
  return { text, code: major * 1e6 + minor * 1e3 + patch };
}

function v(text: string): number {
  return parseVersion(text).code;
}

const DAY_MS = 86_400_000;

/** Release anchors: between two anchors of the same minor line the patch grows linearly. */
const ANCHORS: ReadonlyArray<readonly [string, string]> = [
  ['2025-05-22', '1.0.0'],
  ['2025-09-03', '1.0.98'],
  ['2025-09-28', '1.0.128'],
  ['2025-09-29', '2.0.0'],
  ['2025-10-24', '2.0.27'],
  ['2025-10-27', '2.0.28'],
  ['2026-01-06', '2.0.76'],
  ['2026-01-07', '2.1.0'],
  ['2026-01-09', '2.1.2'],
  ['2026-02-11', '2.1.39'],
  ['2026-08-20', '2.1.233'],
  ['2027-06-01', '2.1.517'],
];

/** The newest Claude Code version released at `ms` (clamped to the anchor range). */
export function latestVersionAt(ms: number): string {
  const points = ANCHORS.map(([day, text]) => ({ ms: Date.parse(`${day}T00:00:00Z`), text }));
  const first = points[0];
  if (first === undefined || ms <= first.ms) return first?.text ?? '1.0.0';
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === undefined || b === undefined || ms >= b.ms) continue;
    const [am, an, ap = 0] = a.text.split('.').map(Number);
    const [bm, bn, bp = 0] = b.text.split('.').map(Number);
    if (am !== bm || an !== bn) return a.text;
    const patch = Math.floor(ap + ((bp - ap) * (ms - a.ms)) / (b.ms - a.ms));
    return `${am}.${an}.${patch}`;
  }
  return points[points.length - 1]?.text ?? '2.1.0';
}

/** Releases some machines stay on (pinned CI images, old laptops): the source of older formats. */
export const PINNED_VERSIONS: readonly string[] = ['1.0.72', '1.0.98', '2.0.14', '2.0.55', '2.1.45', '2.1.70'];

/** A version released before `ms`, lagging the newest by up to `lagDays`. */
export function laggedVersionAt(ms: number, lagDays: number): string {
  return latestVersionAt(ms - lagDays * DAY_MS);
}

export type SubagentLayout = 'inline' | 'beside' | 'folder';

/** What a given version writes; every generator decision about format goes through this. */
export interface VersionFeatures {
  version: string;
  entrypoint: boolean;
  /** Streamed copies before the last carry a placeholder output_tokens. */
  placeholderCopies: boolean;
  promptSource: boolean;
  /** `claude -p` runs open with queue-operation lines. */
  queueOperationFirst: boolean;
  fileHistorySnapshot: boolean;
  subagentLayout: SubagentLayout;
  agentProgress: boolean;
  compactionFiles: boolean;
  cacheBreakdown: boolean;
  oneHourCache: boolean;
  inferenceGeo: boolean;
  serverToolUseAlways: boolean;
  /** speed, iterations, output_tokens_details, stop_details, last-prompt and attachment lines. */
  modernUsage: boolean;
  /** Envelope fields after the payload (newer builds) instead of before it. */
  trailingEnvelope: boolean;
  /** `id` before `model` in the message object (1.0.x). */
  idFirst: boolean;
  hookProgress: boolean;
}

/** Features of a version string. */
export function featuresOf(version: string): VersionFeatures {
  const c = parseVersion(version).code;
  return {
    version,
    entrypoint: c >= v('2.1.78'),
    placeholderCopies: c < v('2.1.97'),
    promptSource: c >= v('2.1.60'),
    queueOperationFirst: c >= v('2.0.50'),
    fileHistorySnapshot: c >= v('2.0.0'),
    subagentLayout: c <= v('2.0.27') ? 'inline' : c <= v('2.1.1') ? 'beside' : 'folder',
    agentProgress: c >= v('2.1.0'),
    compactionFiles: c >= v('2.1.2'),
    cacheBreakdown: c >= v('1.0.80'),
    oneHourCache: c >= v('2.1.0'),
    inferenceGeo: c >= v('2.1.20'),
    serverToolUseAlways: c >= v('2.1.100'),
    modernUsage: c >= v('2.1.150'),
    trailingEnvelope: c >= v('2.1.78'),
    idFirst: c < v('2.0.0'),
    hookProgress: c >= v('2.1.0'),
  };
}
