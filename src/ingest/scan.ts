/**
 * Byte-level reader of one transcript byte range: streams the file through a reused buffer,
 * counts lines with a newline scan, decodes and parses only lines holding `"usage"`, and spots
 * the session's fallback signals with byte searches. Never builds a whole-file string.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { countOutcome, mergeCopies, parseCleanLine } from '../domain/parse-line.js';
import { fileSpans, hashHead, sampleHashOf } from './plan.js';
import { DepthScan, hasTopLevelPair, keyStartBefore, stringValues } from './json-bytes.js';
import { NeedleBuffer } from './scan-needles.js';
import type { FileSignals, RequestRecord } from '../domain/types.js';

/** Lines up to this size are parsed; longer ones are skipped as 'line-too-long' (their head still gives signals). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 8 * 1024 * 1024;
const TAIL_BYTES = 64 * 1024;

const NL = 10;
const USAGE = Buffer.from('"usage"');
/**
 * Signals are `"key":"value"` pairs, with or without spaces around the colon: the value is searched
 * first (short needles that open with a quote are found several times faster), then its key checked.
 */
const TYPE_KEY = Buffer.from('"type"');
const FHS_VALUE = Buffer.from('"file-history-snapshot"');
const QUEUE_VALUE = Buffer.from('"queue-operation"');
const PROMPT_SOURCE_KEY = Buffer.from('"promptSource"');
const SDK_VALUE = Buffer.from('"sdk"');
const USER_VALUE = Buffer.from('"user"');
const SESSION_KEY = Buffer.from('"sessionId"');
/** Longest sessionId value taken as a session hint. */
const MAX_SESSION_BYTES = 128;
/** How far from a line start a `"type"` key is looked for (it is the first key of those records). */
const HEAD_BYTES = 160;

/** A byte range of one file: lines starting in [start, end) are read; bytes up to `limit` may be read to finish the last one. */
export interface ScanTask {
  path: string;
  start: number;
  end: number;
  limit: number;
  /** True when `start` may fall inside a line (a split of a big file): the partial first line belongs to the previous range. */
  align: boolean;
  /** Longest line parsed (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
}

export interface ScanResult {
  /** File position just after the last complete line read (the next read starts here); -1 for a split range that completed none. */
  endOffset: number;
  /** Bytes of [start, end) read (those read beyond it to complete a line are another range's). */
  bytes: number;
  lines: number;
  skips: Record<string, number>;
  noId: number;
  /** One copy per key (the range's copies already merged by the dedup rule), in first-seen order. */
  records: RequestRecord[];
  /** Copies met again within the range: replaced (more output tokens) or dropped. */
  replaced: number;
  dropped: number;
  signals: FileSignals;
  /** Hash of the file's first bytes, when the range starts at 0 (see plan.ts). */
  headHash: string | null;
  /**
   * For a file's last range, the sample hash before `endOffset` (see plan.ts sampleHash), taken
   * from the bytes still in the buffer where it can: null when none was taken.
   */
  tailHash: string | null;
  /** The first `sessionId` value seen in the range, if any. */
  sessionHint: string | null;
  error: string | null;
}

/**
 * A reusable read buffer; grows for long lines up to MAX_LINE_BYTES. In WebAssembly memory where
 * there is WebAssembly (scan-needles.ts), so each chunk's needles are found in one pass.
 */
export class ScanBuffer {
  /** The bytes: with `needles`, its buffer (grow keeps the two the same). */
  buf: Buffer;
  readonly needles: NeedleBuffer | null;
  /** `wasm: false` keeps the buffer on the heap and every search on `indexOf` (tests compare both). */
  constructor(bytes = CHUNK_BYTES, { wasm = true }: { wasm?: boolean } = {}) {
    this.needles = wasm ? NeedleBuffer.create(bytes) : null;
    this.buf = this.needles?.buf ?? Buffer.allocUnsafe(bytes);
  }

  /** Grows the buffer to `bytes`, keeping its first `keep` bytes. */
  grow(bytes: number, keep: number): void {
    if (this.needles !== null) {
      this.buf = this.needles.grow(bytes);
      return;
    }
    const bigger = Buffer.allocUnsafe(bytes);
    this.buf.copy(bigger, 0, 0, keep);
    this.buf = bigger;
  }
}

/** Reads one range. I/O errors end the range early and are returned in `error`, never thrown. */
export function scanRange(task: ScanTask, holder: ScanBuffer = new ScanBuffer()): ScanResult {
  const res: ScanResult = {
    endOffset: task.align && task.start > 0 ? -1 : task.start,
    bytes: 0,
    lines: 0,
    skips: {},
    noId: 0,
    records: [],
    replaced: 0,
    dropped: 0,
    signals: { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false },
    sessionHint: null,
    headHash: null,
    tailHash: null,
    error: null,
  };
  let fd: number;
  try {
    fd = openSync(task.path, 'r');
  } catch (err) {
    res.error = (err as Error).message;
    return res;
  }
  const byKey = new Map<string, number>();
  try {
    const held = readLines(fd, task, holder, res, byKey);
    if (task.end >= task.limit && res.endOffset > 0) res.tailHash = tailHash(fd, holder.buf, held, res.endOffset);
  } catch (err) {
    res.error = (err as Error).message;
  } finally {
    closeSync(fd);
  }
  return res;
}

/** The file bytes the buffer holds when a read ends: `n` bytes from file position `pos`. */
interface Held {
  pos: number;
  n: number;
}

/** The sample hash before `offset`, from the held bytes where they cover a span, else read. */
function tailHash(fd: number, buf: Buffer, held: Held, offset: number): string | null {
  const read = fileSpans(fd, offset);
  return sampleHashOf(offset, (at, length) =>
    at >= held.pos && at + length <= held.pos + held.n
      ? buf.subarray(at - held.pos, at - held.pos + length)
      : read(at, length),
  );
}

function readLines(fd: number, task: ScanTask, holder: ScanBuffer, res: ScanResult, byKey: Map<string, number>): Held {
  // With `align`, the line holding byte `start` is ours only if byte start-1 is a newline.
  let skipPartial = task.align && task.start > 0;
  let filePos = skipPartial ? task.start - 1 : task.start; // file position of buf[0]
  let n = 0; // valid bytes in buf
  let i = 0; // index of the current line start in buf
  let skipping = false; // inside a too-long line, discarding it up to its newline
  let firstChunk = true;
  // A read that starts just after a last line taken without its newline (see the end of a file
  // below): the newline that arrives later ends that line, and is no blank line of its own.
  let ending = !task.align && task.start > 0 && byteAt(fd, holder.buf, task.start - 1) !== NL;
  for (;;) {
    // Past `end` only the last line is still wanted: read in small steps there, not whole chunks.
    const beforeEnd = task.end - (filePos + n);
    // (growing with the pending bytes, so a long last line is still read in O(length)).
    const step = Math.max(TAIL_BYTES, n, beforeEnd);
    const toRead = Math.min(holder.buf.length - n, task.limit - (filePos + n), step);
    const got = toRead > 0 ? readSync(fd, holder.buf, n, toRead, filePos + n) : 0;
    res.bytes += ownBytes(task, filePos + n, got);
    n += got;
    const eof = got === 0 || filePos + n >= task.limit;
    const view = holder.buf.subarray(0, n);
    if (firstChunk) {
      res.sessionHint = findSession(view);
      if (filePos === 0) res.headHash = hashHead(view);
    }
    firstChunk = false;
    // Both needles of this chunk in one pass where the buffer is the module's; else indexOf.
    const needles = holder.needles !== null && holder.needles.find(i, n) ? holder.needles : null;
    if (!skipping && !res.signals.promptSourceSdk && !res.signals.fileHistorySnapshot) {
      // Not in the end of a line the range before holds (it is that range's, read from its start).
      const from = skipPartial ? view.indexOf(NL, i) + 1 || n : i;
      if (needles === null ? hasPromptSdk(view, from) : sdkPairAmong(view, from, needles))
        res.signals.promptSourceSdk = true;
    }
    let usageAt = -2; // -2: not searched yet in this chunk; -1: none left
    let usageHit = 0; // with needles: the next of its usage positions
    for (;;) {
      if (!skipping && !skipPartial && filePos + i >= task.end) {
        res.endOffset = filePos + i;
        return { pos: filePos, n };
      }
      const nl = view.indexOf(NL, i);
      if (nl === -1) break;
      if (ending && (nl === i || (nl === i + 1 && view[i] === 13))) {
        // (Its line end may be CRLF: the CR ends it too.)
        ending = false;
      } else if (skipPartial) {
        skipPartial = false;
      } else if (skipping) {
        skipping = false;
        res.lines++;
        count(res.skips, 'line-too-long');
      } else {
        res.lines++;
        if (usageAt === -2 || (usageAt !== -1 && usageAt < i)) {
          if (needles === null) usageAt = view.indexOf(USAGE, i);
          else {
            while (usageHit < needles.usageCount && needles.usage[usageHit]! < i) usageHit++;
            usageAt = usageHit < needles.usageCount ? needles.usage[usageHit]! : -1;
          }
        }
        lineSignals(view, pastNuls(view, i, nl), nl, filePos + i === 0, res);
        if (usageAt !== -1 && usageAt < nl) handleLine(view, i, nl, res, byKey);
        else otherLine(view, i, nl, res, byKey);
      }
      ending = false;
      i = nl + 1;
      res.endOffset = filePos + i;
    }
    if (eof) {
      // The file's last line has no newline. A writer writes one with each line, so such a line
      // may be half written: it is held back until its newline arrives, unless it is already a
      // whole JSON object, a line whose newline is missing (a file copied or cut by hand): that
      // one is read now, as is a run of whole objects a writer left there without newlines
      // (splitLine). (No prefix of a JSON Lines line is a whole object but the line itself.)
      // The line is this range's even when it runs past the range's end: it started before it.
      if (
        !skipping &&
        !skipPartial &&
        i < n &&
        filePos + n >= task.limit &&
        (wholeObject(view, i, n) || wholeObjects(view, i, n))
      ) {
        res.lines++;
        lineSignals(view, pastNuls(view, i, n), n, filePos + i === 0, res);
        if (view.indexOf(USAGE, i) !== -1) handleLine(view, i, n, res, byKey);
        else otherLine(view, i, n, res, byKey);
        res.endOffset = filePos + n;
      }
      return { pos: filePos, n };
    }
    if (i === 0 && n === holder.buf.length && !skipping && !skipPartial) {
      // One line fills the buffer: grow, or stop parsing it and discard it up to its newline.
      const maxLine = task.maxLineBytes ?? MAX_LINE_BYTES;
      if (holder.buf.length < maxLine) {
        holder.grow(Math.min(holder.buf.length * 2, maxLine), n);
        continue;
      }
      lineSignals(view, 0, n, filePos === 0, res);
      skipping = true;
    }
    if (skipping || skipPartial) {
      filePos += n;
      n = 0;
      i = 0;
      continue;
    }
    holder.buf.copy(holder.buf, 0, i, n);
    filePos += i;
    n -= i;
    i = 0;
  }
}

/** The byte at file position `at` (read through the start of `scratch`, which is not in use yet). */
function byteAt(fd: number, scratch: Buffer, at: number): number | null {
  return readSync(fd, scratch, 0, 1, at) === 1 ? scratch[0]! : null;
}

/** Whether view[from, to) is one whole JSON object (whitespace around it allowed). */
function wholeObject(view: Buffer, from: number, to: number): boolean {
  let a = from;
  let b = to;
  if (view[a] === 0xef && view[a + 1] === 0xbb && view[a + 2] === 0xbf) a += 3;
  while (a < b && isJsonSpace(view[a])) a++;
  while (b > a && isJsonSpace(view[b - 1])) b--;
  if (b - a < 2 || view[a] !== 0x7b || view[b - 1] !== 0x7d) return false;
  try {
    const v: unknown = JSON.parse(view.toString('utf8', a, b));
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * How many of the `got` bytes read at `at` lie in [start, end): the bytes a range reads past its
 * end to finish its last line, or before its start to find its first, belong to its neighbours
 * and are counted there, so the ranges of a file count each of its bytes once.
 */
function ownBytes(task: ScanTask, at: number, got: number): number {
  return Math.max(0, Math.min(at + got, task.end) - Math.max(at, task.start));
}

/** Fallback signals readable from a line's first bytes (no parse): snapshots, and a file opening with queue-operation. */
function lineSignals(view: Buffer, start: number, end: number, firstLine: boolean, res: ScanResult): void {
  const sig = res.signals;
  if (sig.fileHistorySnapshot && !firstLine) return;
  const head = view.subarray(start, Math.min(end, start + HEAD_BYTES));
  // The line's own type (a `"type"` of an attachment or a tool result within it is none).
  if (!sig.fileHistorySnapshot && hasTopLevelPair(head, TYPE_KEY, FHS_VALUE, 0)) sig.fileHistorySnapshot = true;
  if (firstLine && hasTopLevelPair(head, TYPE_KEY, QUEUE_VALUE, 0)) sig.queueOperationFirst = true;
}

/** Parses a candidate line; copies of a key already seen in this range are merged at once (fewer records to hand over). */
function handleLine(view: Buffer, start: number, end: number, res: ScanResult, byKey: Map<string, number>): void {
  // What cleanLine strips from the string (a BOM opening the line, a CR ending it), stripped as bytes.
  let from = start;
  let to = end;
  if (view[from] === 0xef && view[from + 1] === 0xbb && view[from + 2] === 0xbf) from += 3;
  from = pastNuls(view, from, to);
  if (to > from && view[to - 1] === 13) to--;
  const parsed = parseCleanLine(view.toString('utf8', from, to));
  if (parsed.kind === 'skip' && parsed.reason === 'malformed-json' && splitLine(view, from, to, res, byKey)) return;
  if (parsed.kind === 'skip') count(res.skips, parsed.reason);
  else if (parsed.kind === 'request') {
    if (parsed.noId) res.noId++;
    const record = parsed.record;
    const at = byKey.get(record.key);
    if (at === undefined) {
      byKey.set(record.key, res.records.push(record) - 1);
      return;
    }
    const m = mergeCopies(res.records[at]!, record);
    countOutcome(res, m.outcome);
    if (m.changed) res.records[at] = m.record;
  }
}

const isJsonSpace = (b: number | undefined): boolean => b === 32 || b === 9 || b === 13 || b === 10;

/**
 * Past the NUL bytes opening view[from, to) when a line follows them: a file a crash left padded
 * with zeros, then appended to, holds its next line after them. (A run of NULs alone stays what
 * it is: a line that cannot be read, counted.)
 */
function pastNuls(view: Buffer, from: number, to: number): number {
  if (view[from] !== 0) return from;
  let at = from;
  while (at < to && view[at] === 0) at++;
  return at < to ? at : from;
}

/**
 * A line of whole objects one after another (`{…}{…}`): what a read makes of a last line taken
 * without its newline (see readLines) once a writer appends to it. Read as its first object and,
 * each as a line of its own, the objects after it and whatever follows the last of them, so reading
 * the file whole gives what reading it as it grew did. A loop, each object's `"usage"` looked for
 * within it: a line of thousands of objects costs what reading them did. False (nothing done) when
 * the line does not start with a whole object followed by more.
 */
function splitLine(view: Buffer, from: number, to: number, res: ScanResult, byKey: Map<string, number>): boolean {
  const first = objectAt(view, from, to);
  if (first === -1 || skipSpace(view, first, to) === to) return false;
  linePart(view, from, first, false, res, byKey);
  for (let s = first; skipSpace(view, s, to) < to;) {
    res.lines++;
    const end = objectAt(view, s, to);
    // What follows the last whole object is a line of its own (parsed, to count why it is skipped).
    linePart(view, s, end === -1 ? to : end, true, res, byKey);
    if (end === -1) break;
    s = end;
  }
  return true;
}

/** One part of a split line, read as a line: billable when it holds `"usage"` itself. */
function linePart(
  view: Buffer,
  s: number,
  e: number,
  signals: boolean,
  res: ScanResult,
  byKey: Map<string, number>,
): void {
  if (signals) lineSignals(view, s, e, false, res);
  if (view.subarray(s, e).indexOf(USAGE) !== -1) handleLine(view, s, e, res, byKey);
  else otherLine(view, s, e, res, byKey);
}

/** Whether view[from, to) is whole objects one after another (whitespace around them allowed). */
function wholeObjects(view: Buffer, from: number, to: number): boolean {
  let s = from;
  let n = 0;
  for (; skipSpace(view, s, to) < to; n++) {
    const end = objectAt(view, s, to);
    if (end === -1) return false;
    s = end;
  }
  return n > 1;
}

/** The end of the whole object that opens view[from, to) after whitespace; -1 when none does. */
function objectAt(view: Buffer, from: number, to: number): number {
  const a = skipSpace(view, from, to);
  const end = firstObjectEnd(view, a, to);
  return end !== -1 && wholeObject(view, a, end) ? end : -1;
}

function skipSpace(view: Buffer, from: number, to: number): number {
  let a = from;
  while (a < to && isJsonSpace(view[a])) a++;
  return a;
}

/** The index just past the object that opens at view[at] (a `{`), by its brackets and strings; -1 if it does not close. */
function firstObjectEnd(view: Buffer, at: number, to: number): number {
  if (view[at] !== 0x7b) return -1;
  let depth = 0;
  for (let k = at; k < to; k++) {
    const b = view[k];
    if (b === 0x22) {
      // A string: to its closing quote, past escapes.
      for (k++; k < to && view[k] !== 0x22; k++) if (view[k] === 0x5c) k++;
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if ((b === 0x7d || b === 0x5d) && --depth === 0) return k + 1;
  }
  return -1;
}

/**
 * A line without `"usage"` (never billable): counted when blank (whitespace only), and parsed, to
 * count why it is skipped, when it cannot be a JSON object: it does not open with `{` or close with
 * `}` (a half-written line that later writes continued, stray text). Other lines are not parsed.
 */
function otherLine(view: Buffer, start: number, end: number, res: ScanResult, byKey: Map<string, number>): void {
  let from = start;
  let to = end;
  if (view[from] === 0xef && view[from + 1] === 0xbb && view[from + 2] === 0xbf) from += 3;
  from = pastNuls(view, from, to);
  while (from < to && isJsonSpace(view[from])) from++;
  while (to > from && isJsonSpace(view[to - 1])) to--;
  if (from === to) count(res.skips, 'blank-line');
  else if (view[from] !== 0x7b || view[to - 1] !== 0x7d) handleLine(view, start, end, res, byKey);
}

/**
 * Whether a user line of `view` from `from` on says `"promptSource":"sdk"` (spaces around the colon
 * allowed) as its own field: at the top level of a line whose own type is `user`, not within an
 * attachment, a tool's input or its result.
 */
function hasPromptSdk(view: Buffer, from: number): boolean {
  const lines = new PromptSdkLines(view, from);
  const first = from + PROMPT_SOURCE_KEY.length + 1;
  for (let at = view.indexOf(SDK_VALUE, first); at !== -1; at = view.indexOf(SDK_VALUE, at + 1))
    if (lines.holdsAt(at)) return true;
  return false;
}

/** hasPromptSdk from the `"sdk"` positions the needle search found in this chunk. */
function sdkPairAmong(view: Buffer, from: number, needles: NeedleBuffer): boolean {
  const lines = new PromptSdkLines(view, from);
  for (let k = 0; k < needles.sdkCount; k++) {
    const at = needles.sdk[k]!;
    if (at >= from + PROMPT_SOURCE_KEY.length + 1 && lines.holdsAt(at)) return true;
  }
  return false;
}

/**
 * Tells, for `"sdk"` values met in order along a chunk, whether one is the top-level `promptSource`
 * of a whole user line. Each line is found, typed and scanned for depth once, whatever number of
 * candidates it holds (a tool's result can hold thousands): linear in the chunk.
 */
class PromptSdkLines {
  private start = -1;
  /** The current line's newline; -1 when the line runs to the chunk's end. */
  private end = -1;
  private user: boolean | null = null;
  private depth: DepthScan | null = null;

  constructor(
    private readonly view: Buffer,
    private readonly from: number,
  ) {}

  holdsAt(at: number): boolean {
    const view = this.view;
    if (this.start < 0 || (this.end >= 0 && at > this.end)) {
      this.start = Math.max(this.from, view.lastIndexOf(NL, at) + 1);
      this.end = view.indexOf(NL, at);
      this.user = null;
      this.depth = null;
    }
    const keyAt = keyStartBefore(view, at, PROMPT_SOURCE_KEY, this.start);
    if (keyAt < 0) return false;
    // A line not whole in the chunk (the file's last, without its newline; one still coming, or too
    // long to read) is typed by what the chunk holds of it: a type further on is read with the next
    // chunk, which starts with that line.
    this.user ??= hasTopLevelPair(view, TYPE_KEY, USER_VALUE, this.start, this.end < 0 ? view.length : this.end);
    if (!this.user) return false;
    this.depth ??= new DepthScan(view, this.start);
    return this.depth.at(keyAt) === 1;
  }
}

/** The first `sessionId` string value in `view`. */
function findSession(view: Buffer): string | null {
  for (const s of stringValues(view, SESSION_KEY, MAX_SESSION_BYTES)) return s;
  return null;
}

function count(into: Record<string, number>, reason: string): void {
  into[reason] = (into[reason] ?? 0) + 1;
}
