/**
 * A compact form of request copies for crossing from a worker thread: numbers in one transferable
 * Float64Array, strings that repeat (session, project, model, ...) interned in one array, and the
 * strings unique to a request (key, message and request ids) concatenated into one string. Cloning
 * thousands of small objects or strings costs both threads far more than this.
 */
import type { RequestRecord } from '../domain/types.js';

export interface PackedRecords {
  count: number;
  /** Interned values of the repeating fields. */
  strings: string[];
  /** The unique fields of every record, back to back (their lengths are in `numbers`). */
  unique: string;
  numbers: Float64Array;
}

/** Fields that differ for nearly every request: interning them would only fill a map. */
const UNIQUE_FIELDS = ['key', 'messageId', 'requestId'] as const;
const SHARED_FIELDS = [
  'sessionId',
  'project',
  'gitBranch',
  'ccVersion',
  'entrypoint',
  'agentId',
  'model',
  'speed',
  'inferenceGeo',
  'serviceTier',
] as const;
const STRING_FIELDS = [...UNIQUE_FIELDS, ...SHARED_FIELDS] as const;
type StringField = (typeof STRING_FIELDS)[number];
/**
 * Per record: one slot per unique field (its length, -1 for null), one per shared field (its index
 * in `strings`, -1 for null), then ts, seven token counts, sidechain, source.
 */
const WIDTH = STRING_FIELDS.length + 10;

/** Packs copies for postMessage; `numbers.buffer` can be transferred. */
export function packRecords(records: RequestRecord[]): PackedRecords {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const unique: string[] = [];
  const numbers = new Float64Array(records.length * WIDTH);
  let o = 0;
  for (const r of records) {
    for (const f of UNIQUE_FIELDS) {
      const s = r[f];
      if (s === null) numbers[o++] = -1;
      else {
        unique.push(s);
        numbers[o++] = s.length;
      }
    }
    for (const f of SHARED_FIELDS) {
      const s = r[f];
      if (s === null) {
        numbers[o++] = -1;
        continue;
      }
      let at = index.get(s);
      if (at === undefined) {
        at = strings.push(s) - 1;
        index.set(s, at);
      }
      numbers[o++] = at;
    }
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
  return { count: records.length, strings, unique: unique.join(''), numbers };
}

/** The copies back, field for field. */
export function unpackRecords(p: PackedRecords): RequestRecord[] {
  const out = new Array<RequestRecord>(p.count);
  const n = p.numbers;
  const strings = p.strings;
  const text = p.unique;
  let pos = 0;
  const cut = (at: number): string | null => {
    const len = n[at]!;
    if (len < 0) return null;
    pos += len;
    return text.slice(pos - len, pos);
  };
  const shared = (at: number): string | null => (n[at]! < 0 ? null : strings[n[at]!]!);
  for (let k = 0, o = 0; k < p.count; k++, o += WIDTH) {
    const key = cut(o)!;
    const messageId = cut(o + 1);
    const requestId = cut(o + 2);
    const b = o + STRING_FIELDS.length;
    // The parser's field order (parse-line.ts): one object shape for every copy.
    out[k] = {
      key,
      messageId,
      requestId,
      sessionId: shared(o + 3),
      project: shared(o + 4),
      gitBranch: shared(o + 5),
      ccVersion: shared(o + 6),
      entrypoint: shared(o + 7),
      agentId: shared(o + 8),
      isSidechain: n[b + 8] === 1,
      model: shared(o + 9)!,
      ts: n[b]!,
      usage: {
        input: n[b + 1]!,
        output: n[b + 2]!,
        cacheRead: n[b + 3]!,
        cacheWrite5m: n[b + 4]!,
        cacheWrite1h: n[b + 5]!,
        webSearch: n[b + 6]!,
        webFetch: n[b + 7]!,
      },
      speed: shared(o + 10),
      inferenceGeo: shared(o + 11),
      serviceTier: shared(o + 12),
      source: n[b + 9] === 1 ? 'progress' : 'line',
    };
  }
  return out;
}

/** Field order check for tests: every string field of RequestRecord is packed. */
export const PACKED_STRING_FIELDS: readonly StringField[] = STRING_FIELDS;
