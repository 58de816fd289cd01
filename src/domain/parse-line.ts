/**
 * One transcript line to a billable request copy, a counted skip, or nothing billable.
 * Rules: ../shared/reference/log-format.md (billable lines, usage fields, dedup keys).
 */
import { plausibleCount, plausibleTs } from './plausible.js';
import { parseIsoTimestamp } from './timestamp.js';
import type { RequestRecord, RequestSource, SkipReason, TokenUsage } from './types.js';

export type ParsedLine =
  { kind: 'request'; record: RequestRecord; noId: boolean } | { kind: 'skip'; reason: SkipReason } | { kind: 'none' };

const NONE: ParsedLine = { kind: 'none' };
const skip = (reason: SkipReason): ParsedLine => ({ kind: 'skip', reason });

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * A text with its ASCII capitals made small, as SQLite's `lower()` does (migrations 9 and 13 lowered
 * the emails and models a store held before): other letters stay as sent.
 */
export function asciiLower(s: string | null): string | null {
  return s === null || !/[A-Z]/.test(s) ? s : s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/** Strips a UTF-8 BOM and a trailing CR (CRLF files). */
export function cleanLine(line: string): string {
  let s = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (s.endsWith('\r')) s = s.slice(0, -1);
  return s;
}

/**
 * Parses one line. Billable: top-level `type: "assistant"` with `message.usage`, or a `progress`
 * line embedding a subagent's assistant message with usage. `<synthetic>` messages are not billable.
 */
export function parseLine(line: string): ParsedLine {
  const text = cleanLine(line);
  if (text.trim() === '') return NONE;
  return parseCleanLine(text);
}

/**
 * Same as parseLine for a line already cleaned (no BOM, no trailing CR) that holds more than
 * whitespace: the scanner strips those bytes before decoding, so no string is made twice.
 */
export function parseCleanLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return skip('malformed-json');
  }
  return parseObject(value, text);
}

/** Same as parseLine for an already parsed value; `text` feeds the fallback key of id-less lines. */
export function parseObject(value: unknown, text: string): ParsedLine {
  if (!isObj(value)) return skip('not-an-object');
  if (value.type === 'assistant') {
    return fromMessage(value, value, value.message, value.requestId, value.timestamp, value.uuid, 'line', text);
  }
  // Only a subagent's progress embeds a billable copy; other progress kinds' copies are ignored.
  if (value.type === 'progress' && isObj(value.data) && value.data.type === 'agent_progress') {
    const inner = value.data.message;
    if (!isObj(inner) || inner.type !== 'assistant') return NONE;
    return fromMessage(
      value,
      inner,
      inner.message,
      inner.requestId,
      inner.timestamp ?? value.timestamp,
      inner.uuid,
      'progress',
      text,
    );
  }
  return NONE;
}

function fromMessage(
  top: Obj,
  carrier: Obj,
  message: unknown,
  requestIdRaw: unknown,
  tsRaw: unknown,
  uuidRaw: unknown,
  source: RequestSource,
  text: string,
): ParsedLine {
  if (!isObj(message) || message.usage === undefined || message.usage === null) return NONE;
  if (message.model === '<synthetic>') return NONE;
  const usage = parseUsage(message.usage);
  if (usage === null) return skip('bad-usage');
  // In lower case, as telemetry keeps it and as Anthropic's ids are: one model is one row however
  // a line spells it (pricing reads any case alike).
  const model = asciiLower(str(message.model));
  if (model === null) return skip('missing-model');
  if (tsRaw === undefined || tsRaw === null || tsRaw === '') return skip('missing-timestamp');
  const ts = typeof tsRaw === 'string' ? parseIsoTimestamp(tsRaw) : NaN;
  if (!Number.isFinite(ts)) return skip('bad-timestamp');
  if (!plausibleTs(ts)) return skip('implausible-timestamp');

  const raw = message.usage as Obj;
  const messageId = str(message.id);
  const requestId = str(requestIdRaw);
  const uuid = str(uuidRaw);
  let key: string;
  if (messageId !== null) key = requestId !== null ? `${messageId}:${requestId}` : messageId;
  else key = uuid !== null ? `uuid:${uuid}` : `line:${hashText(text)}`;
  const data = isObj(top.data) ? top.data : null;
  const record: RequestRecord = {
    key,
    messageId,
    requestId,
    sessionId: str(top.sessionId),
    project: str(top.cwd),
    gitBranch: str(top.gitBranch),
    ccVersion: str(top.version),
    entrypoint: str(top.entrypoint),
    agentId: str(source === 'progress' ? (data?.agentId ?? carrier.agentId) : top.agentId),
    isSidechain: source === 'progress' || top.isSidechain === true,
    model,
    ts,
    usage,
    speed: str(raw.speed),
    inferenceGeo: str(raw.inference_geo),
    serviceTier: str(raw.service_tier),
    source,
  };
  return { kind: 'request', record, noId: messageId === null };
}

/** A token count: absent/null is 0; anything but a non-negative safe integer is invalid (undefined). */
function count(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && plausibleCount(v) ? v : undefined;
}

/**
 * Validated token counts of a `usage` object, or null when any count is not a non-negative safe
 * integer. With a `cache_creation` breakdown writes split 5m/1h; without one, all writes are 5m.
 */
export function parseUsage(usage: unknown): TokenUsage | null {
  if (!isObj(usage)) return null;
  // Every API response reports its input and output counts: a usage without them is not one.
  if (usage.input_tokens === undefined && usage.output_tokens === undefined) return null;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const writes = count(usage.cache_creation_input_tokens);
  // The breakdowns are objects: anything else in their place is no breakdown (the rule for a usage
  // without one holds), not a reason to lose the request's counts.
  const tools = usage.server_tool_use;
  const webSearch = count(isObj(tools) ? tools.web_search_requests : 0);
  const webFetch = count(isObj(tools) ? tools.web_fetch_requests : 0);
  if (input === undefined || output === undefined || cacheRead === undefined || writes === undefined) return null;
  if (webSearch === undefined || webFetch === undefined) return null;

  let cacheWrite5m = writes;
  let cacheWrite1h = 0;
  const split = usage.cache_creation;
  if (isObj(split)) {
    const m5 = count(split.ephemeral_5m_input_tokens);
    const h1 = count(split.ephemeral_1h_input_tokens);
    if (m5 === undefined || h1 === undefined) return null;
    // The breakdown is authoritative; a total larger than it keeps the remainder as 5m writes.
    cacheWrite1h = h1;
    cacheWrite5m = Math.max(m5, writes - h1);
  }
  return { input, output, cacheRead, cacheWrite5m, cacheWrite1h, webSearch, webFetch };
}

/** Stable 64-bit FNV-1a of a string, as 16 hex digits (keys of lines with no id and no uuid). */
export function hashText(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ ((c * 31) & 0xffff), 0x01000193) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** Outcome of meeting a second copy of a stored request. */
export interface MergeOutcome {
  record: RequestRecord;
  /** 'replaced': the incoming copy has more output tokens and now carries the counts; else 'dropped'. */
  outcome: 'replaced' | 'dropped';
  /** Whether the metadata (ids, session, entrypoint, file) now comes from the incoming copy. */
  metaFromIncoming: boolean;
  /** Whether `record` differs from the stored copy (tokens or metadata) and must be written. */
  changed: boolean;
}

/**
 * Adds one to the counter of a merge outcome. Spelled out: a computed key (`counts[outcome]++`)
 * meets two property names and makes optimized callers start over.
 */
export function countOutcome(counts: { replaced: number; dropped: number }, outcome: MergeOutcome['outcome']): void {
  if (outcome === 'replaced') counts.replaced++;
  else counts.dropped++;
}

/**
 * The de-duplication rule for two copies of one request: the copy with the most output tokens
 * carries the token counts; a transcript line's metadata is preferred over a `progress` copy's.
 * Ties keep the stored copy, unless `incomingFirst` (the incoming copy's file was known to the
 * store first): copies a resumed session repeats in its new file then give way to the file they
 * were first written in, whichever of the two a read meets first (worker threads finish files in
 * no fixed order).
 */
export function mergeCopies(stored: RequestRecord, incoming: RequestRecord, incomingFirst = false): MergeOutcome {
  const more = incoming.usage.output > stored.usage.output;
  const larger = more || (incomingFirst && incoming.usage.output === stored.usage.output);
  const counts = larger ? incoming : stored;
  let meta = larger ? incoming : stored;
  if (stored.source !== incoming.source) meta = stored.source === 'line' ? stored : incoming;
  if (counts === stored && meta === stored)
    return { record: stored, outcome: 'dropped', metaFromIncoming: false, changed: false };
  // Spelled out in the parser's field order: every copy then shares one object shape (a spread makes another).
  const record: RequestRecord = {
    key: meta.key,
    messageId: meta.messageId,
    requestId: meta.requestId,
    sessionId: meta.sessionId,
    project: meta.project,
    gitBranch: meta.gitBranch,
    ccVersion: meta.ccVersion,
    entrypoint: meta.entrypoint,
    agentId: meta.agentId,
    isSidechain: meta.isSidechain,
    model: counts.model,
    ts: counts.ts,
    usage: counts.usage,
    speed: counts.speed,
    inferenceGeo: counts.inferenceGeo,
    serviceTier: counts.serviceTier,
    source: meta.source,
  };
  return { record, outcome: more ? 'replaced' : 'dropped', metaFromIncoming: meta === incoming, changed: true };
}
