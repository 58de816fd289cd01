/**
 * A compact form of request copies for crossing from a worker thread: numbers in one transferable
 * Float64Array, strings interned in one array. Cloning thousands of small objects costs both
 * threads far more than this.
 */
import type { RequestRecord } from '../domain/types.js';

export interface PackedRecords {
  count: number;
  strings: string[];
  numbers: Float64Array;
}

const STRING_FIELDS = ['key', 'messageId', 'requestId', 'sessionId', 'project', 'gitBranch', 'ccVersion', 'entrypoint', 'agentId', 'model', 'speed', 'inferenceGeo', 'serviceTier'] as const;
type StringField = (typeof STRING_FIELDS)[number];
/** Per record: one slot per string field (index, -1 for null), then ts, seven token counts, sidechain, source. */
const WIDTH = STRING_FIELDS.length + 10;

/** Packs copies for postMessage; `numbers.buffer` can be transferred. */
export function packRecords(records: RequestRecord[]): PackedRecords {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const numbers = new Float64Array(records.length * WIDTH);
  const intern = (s: string | null): number => {
    if (s === null) return -1;
    let at = index.get(s);
    if (at === undefined) {
      at = strings.push(s) - 1;
      index.set(s, at);
    }
    return at;
  };
  let o = 0;
  for (const r of records) {
    for (const f of STRING_FIELDS) numbers[o++] = intern(r[f]);
    const u = r.usage;
    numbers[o++] = r.ts;
    numbers[o++] = u.input;
    numbers[o++] = u.output;
    numbers[o++] = u.cacheRead;
    numbers[o++] = u.cacheWrite5m;
    numbers[o++] = u.cacheWrite1h;
    numbers[o++] = u.webSearch;
    numbers[o++] = u.webFetch;
    numbers[o++] = r.isSidechain ? 1 : 0;
    numbers[o++] = r.source === 'progress' ? 1 : 0;
  }
  return { count: records.length, strings, numbers };
}

/** The copies back, field for field. */
export function unpackRecords(p: PackedRecords): RequestRecord[] {
  const out: RequestRecord[] = new Array(p.count);
  const n = p.numbers;
  const str = (at: number): string | null => (n[at]! < 0 ? null : p.strings[n[at]!]!);
  for (let k = 0, o = 0; k < p.count; k++, o += WIDTH) {
    const s = (f: number): string | null => str(o + f);
    const b = o + STRING_FIELDS.length;
    out[k] = {
      key: s(0)!,
      messageId: s(1),
      requestId: s(2),
      sessionId: s(3),
      project: s(4),
      gitBranch: s(5),
      ccVersion: s(6),
      entrypoint: s(7),
      agentId: s(8),
      model: s(9)!,
      speed: s(10),
      inferenceGeo: s(11),
      serviceTier: s(12),
      ts: n[b]!,
      usage: { input: n[b + 1]!, output: n[b + 2]!, cacheRead: n[b + 3]!, cacheWrite5m: n[b + 4]!, cacheWrite1h: n[b + 5]!, webSearch: n[b + 6]!, webFetch: n[b + 7]! },
      isSidechain: n[b + 8] === 1,
      source: n[b + 9] === 1 ? 'progress' : 'line',
    };
  }
  return out;
}

/** Field order check for tests: every string field of RequestRecord is packed. */
export const PACKED_STRING_FIELDS: readonly StringField[] = STRING_FIELDS;
