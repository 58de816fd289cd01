/**
 * Claude Code's OpenTelemetry events as requests (see otel-events.md). Only
 * `claude_code.api_request` bills; every other event is ignored. Only named attributes are read:
 * prompts, responses, bodies and tool input never leave this function.
 */
import { parseIsoTimestamp } from './timestamp.js';
import { asciiLower } from './parse-line.js';
import { digest64 } from './digest.js';
import { countOf } from './format.js';
import { plausibleCount, plausibleTs, plausibleUsd } from './plausible.js';
import type { Attribution, RequestClass, TokenUsage } from './types.js';

/** An attribute value after decoding (arrays and maps are dropped: no billing field uses them). */
export type AttrValue = string | number | boolean | null;

/** The longest text an attribute keeps (longer ids are passed over; longer names are cut to it). */
export const MAX_TEXT = 512;

/** One log record as the decoder hands it over: attributes, resource attributes, times, event name. */
export interface OtelLogRecord {
  attributes: ReadonlyMap<string, AttrValue>;
  resource: ReadonlyMap<string, AttrValue>;
  /** Nanoseconds since the epoch, as a decimal string (64-bit values do not fit a number); other text for a value that is no time. */
  timeUnixNano: string | null;
  observedTimeUnixNano: string | null;
  /** The record's `eventName` field (OTLP 1.5), else its body when a short string (Claude Code puts the event name there). */
  bodyName: string | null;
}

/** A billable request received by telemetry (or pushed by another creditmeter), validated. */
export interface TelemetryEvent extends Attribution {
  /** `request_id`, else `s:<session.id>:<prompt.id>:<event.sequence>`. */
  key: string;
  requestId: string | null;
  sessionId: string | null;
  promptId: string | null;
  messageId: string | null;
  model: string;
  ts: number;
  entrypoint: string | null;
  ccVersion: string | null;
  usage: TokenUsage;
  /** Whether the 5-minute / 1-hour split of cache writes is known (pushed by creditmeter), else all 5-minute. */
  splitKnown: boolean;
  speed: string | null;
  inferenceGeo: string | null;
  /** The class a pushing creditmeter derived from the transcript's session signals. */
  classHint: RequestClass | null;
  project: string | null;
  gitBranch: string | null;
}

/** Why a billable record was rejected (counted, and reported in `partialSuccess`). */
export type TelemetryReject =
  | 'missing-model'
  | 'bad-model'
  | 'bad-usage'
  | 'missing-timestamp'
  | 'bad-timestamp'
  | 'implausible-timestamp'
  | 'missing-key';

/** What each refusal means, as its sender's owner would look for it. */
const REJECT_TEXT: Readonly<Record<TelemetryReject, string>> = {
  'missing-model': 'no model',
  'bad-model': 'a model that is no model name (a list, true, or over 512 characters)',
  'bad-usage': 'token counts that are no counts, or over 100 million',
  'missing-timestamp': 'no time',
  'bad-timestamp': 'a time that is no date',
  'implausible-timestamp': "a time far from now (the sender's clock?)",
  'missing-key': 'no request_id, session.id or prompt.id',
};

/**
 * Refused records by reason (`{ 'bad-usage': 9, … }`), most first, in words:
 * `9 with token counts that are no counts, or over 100 million (bad-usage), 2 with no model (missing-model)`.
 */
export function refusedText(byReason: Readonly<Record<string, number>>): string {
  return countsInWords(byReason, (reason) => (REJECT_TEXT as Readonly<Record<string, string>>)[reason]);
}

/**
 * Kept events whose names were cut, by attribute (`{ 'workflow.name': 2, 'user.email': 1 }`), in
 * words: `3 names over 512 characters kept cut in received events: 2 workflow.name, 1 user.email`.
 */
export function cutText(byAttribute: Readonly<Record<string, number>>): string {
  const total = Object.values(byAttribute).reduce((sum, n) => sum + Math.max(0, n), 0);
  return `${countOf(total, 'name')} over ${MAX_TEXT} characters kept cut in received events: ${countsInWords(byAttribute, () => undefined)}`;
}

/** Counts by key, most first, each "N with <meaning> (key)", or "N key" for a key without one. */
function countsInWords(
  counts: Readonly<Record<string, number>>,
  meaningOf: (key: string) => string | undefined,
): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, n]) => {
      const meaning = meaningOf(key);
      return meaning === undefined ? `${n} ${key}` : `${n} with ${meaning} (${key})`;
    })
    .join(', ');
}

/** Why `serve` refused a whole request, by its HTTP status, as its sender's owner would fix it. */
export const HTTP_REFUSAL_CAUSES: Readonly<Record<number, string>> = {
  400: 'a body that is not OTLP',
  408: 'a body that came too slowly',
  499: 'a sender that hung up before its body ended (it retries)',
  401: 'a missing or wrong token',
  404: 'a path other than /v1/logs',
  405: 'a method other than POST',
  413: 'a body over --max-body-mb',
  415: 'a content type other than protobuf or JSON, or an encoding other than gzip or deflate',
  429: 'too many at once (senders retry)',
  503: 'the store unable to take it: held by another process, or its disk failing (HTTP senders retry, gRPC ones do not)',
};

/**
 * Added to the status of a request an OTLP exporter sent to another path than the logs' (`404` →
 * `404-otlp`): kept apart from the 404s of health probes and scanners, which `status` leaves to
 * serve's terminal, while these mean a sender set up with the wrong endpoint.
 */
export const MISDIRECTED = '-otlp';

/** What `status` says of an OTLP sender's requests to a wrong path. */
const MISDIRECTED_CAUSE =
  "an OTLP sender's path other than /v1/logs: give OTEL_EXPORTER_OTLP_ENDPOINT the address alone (the exporter adds /v1/logs), or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT the whole URL with /v1/logs";

/** Whole requests refused, by HTTP status (`{ 401: 3 }`): "3 with a missing or wrong token (401)". */
export function refusedRequestsText(byStatus: Readonly<Record<string, number>>): string {
  const shown: Record<string, number> = {};
  for (const [key, n] of Object.entries(byStatus)) {
    const status = key.endsWith(MISDIRECTED) ? key.slice(0, -MISDIRECTED.length) : key;
    shown[status] = (shown[status] ?? 0) + n;
  }
  return countsInWords(shown, (status) =>
    status === '404' ? MISDIRECTED_CAUSE : (HTTP_REFUSAL_CAUSES[Number(status)] ?? 'an error'),
  );
}

export type TelemetryOutcome =
  | {
      kind: 'request';
      event: TelemetryEvent;
      /** Attributes whose value was over MAX_TEXT characters and was kept cut (see labelOf); empty when none. */
      cut: string[];
    }
  | { kind: 'ignored' }
  | { kind: 'rejected'; reason: TelemetryReject };

/** Attributes creditmeter's own `push` adds, beyond Claude Code's. */
export const PUSH_ATTRS = {
  cacheWrite5m: 'creditmeter.cache_write_5m_tokens',
  cacheWrite1h: 'creditmeter.cache_write_1h_tokens',
  webSearch: 'creditmeter.web_search_requests',
  webFetch: 'creditmeter.web_fetch_requests',
  inferenceGeo: 'creditmeter.inference_geo',
  messageId: 'creditmeter.message_id',
  cls: 'creditmeter.class',
  project: 'creditmeter.project',
  gitBranch: 'creditmeter.git_branch',
} as const;

/** Whether a record is the billable event (by body or by `event.name`, with or without prefix). */
export function isApiRequest(r: OtelLogRecord): boolean {
  const name = r.attributes.get('event.name') ?? r.bodyName;
  return name === 'api_request' || name === 'claude_code.api_request';
}

/** Validates one record into a request; `nowMs` bounds plausible timestamps. */
export function toTelemetryEvent(r: OtelLogRecord, nowMs: number): TelemetryOutcome {
  if (!isApiRequest(r)) return { kind: 'ignored' };
  const a = r.attributes;
  const text = (k: string): string | null => textOf(a.get(k));
  // Who, where and which job: the record's own attribute, else the resource's, where a CI job
  // can set them for every event with OTEL_RESOURCE_ATTRIBUTES (workflow.name=nightly,...).
  // Names a person, a job or a place reads (who, which workflow, which repository): one over
  // MAX_TEXT characters is kept cut, so its spend stays attributed, and the cut is counted.
  const cut: string[] = [];
  const label = (v: AttrValue | undefined, k: string): string | null => {
    const t = labelOf(v);
    if (t !== null && t.cut) cut.push(k);
    return t === null ? null : t.text;
  };
  const own = (k: string): string | null => label(a.get(k), k);
  const named = (k: string): string | null => own(k) ?? label(r.resource.get(k), k);
  // Model ids are lower case; a sender that wrote one otherwise names the same model (priced alike).
  const model = asciiLower(text('model'));
  if (model === null) return { kind: 'rejected', reason: absent(a.get('model')) ? 'missing-model' : 'bad-model' };
  const counts = tokenCounts(a);
  if (counts === null) return { kind: 'rejected', reason: 'bad-usage' };
  const ts = timestampOf(r);
  if (ts === null) return { kind: 'rejected', reason: 'missing-timestamp' };
  if (ts === 'bad') return { kind: 'rejected', reason: 'bad-timestamp' };
  if (!plausibleTs(ts, nowMs)) return { kind: 'rejected', reason: 'implausible-timestamp' };
  const requestId = text('request_id');
  const sessionId = text('session.id');
  const promptId = text('prompt.id');
  const sequence = textOf(a.get('event.sequence'));
  const clientId = text('client_request_id');
  // What names the request, so a batch sent again stores it once: the API's id (the transcript's
  // too), else the session's counter, else the client's id, else what the event itself says of
  // it within its session or prompt (a retry sends the same; two requests never say all of it alike).
  let key: string;
  if (requestId !== null) key = requestId;
  else if (sessionId !== null && sequence !== null) key = `s:${sessionId}:${promptId ?? ''}:${sequence}`;
  else if (clientId !== null) key = `c:${clientId}`;
  else if (sessionId !== null || promptId !== null)
    key = `h:${digest64(JSON.stringify([sessionId, promptId, ts, model, counts.usage]))}`;
  else return { kind: 'rejected', reason: 'missing-key' };
  const hint = text(PUSH_ATTRS.cls);
  const cost = a.get('cost_usd');
  return {
    kind: 'request',
    cut,
    event: {
      key,
      requestId,
      sessionId,
      promptId,
      messageId: text(PUSH_ATTRS.messageId),
      model,
      ts,
      entrypoint: text('app.entrypoint'),
      ccVersion: text('app.version') ?? textOf(r.resource.get('service.version')),
      usage: counts.usage,
      splitKnown: counts.splitKnown,
      speed: text('speed'),
      inferenceGeo: text(PUSH_ATTRS.inferenceGeo),
      classHint: hint === 'programmatic' || hint === 'interactive' || hint === 'unknown' ? hint : null,
      project: own(PUSH_ATTRS.project),
      gitBranch: own(PUSH_ATTRS.gitBranch),
      // An email in lower case: one person's seat is one user however a machine spells it.
      user:
        asciiLower(own('user.email')) ??
        text('user.account_uuid') ??
        asciiLower(named('user.email')) ??
        textOf(r.resource.get('user.account_uuid')),
      repo: named('vcs.repository.name'),
      workflow: named('workflow.name'),
      runId: text('workflow.run_id') ?? textOf(r.resource.get('workflow.run_id')),
      host: named('host.name'),
      agentName: own('agent.name'),
      skill: own('skill.name'),
      // In dollars, else in millionths (a sender may send either).
      ccCost: costOf(cost) ?? microsCostOf(a.get('cost_usd_micros')),
    },
  };
}

/** Whether an attribute says nothing: not sent, or empty text. */
const absent = (v: AttrValue | undefined): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A short identifier-like text value; numbers become their decimal text; anything long is dropped. */
function textOf(v: AttrValue | undefined): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' || t.length > MAX_TEXT ? null : t;
}

/**
 * A name's text value; one over MAX_TEXT characters is cut to MAX_TEXT, ending in `…` (never
 * inside a surrogate pair). Null when absent, empty or not text.
 */
function labelOf(v: AttrValue | undefined): { text: string; cut: boolean } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? { text: String(v), cut: false } : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (t === '') return null;
  if (t.length <= MAX_TEXT) return { text: t, cut: false };
  let end = MAX_TEXT - 1;
  const last = t.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: `${t.slice(0, end)}…`, cut: true };
}

/** Claude Code's cost estimate: a non-negative number, or its decimal text. */
function costOf(v: AttrValue | undefined): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,12}(\.\d{1,20})?$/.test(v) ? Number(v) : NaN;
  return plausibleUsd(n) ? n : null;
}

/** `cost_usd_micros` (millionths of a dollar, a whole number) in dollars, when plausible. */
function microsCostOf(v: AttrValue | undefined): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && plausibleUsd(n / 1e6) ? n / 1e6 : null;
}

/**
 * A non-negative safe integer from a number or its plain decimal text (`"100"`, `"100.0"` as
 * `100.0` is read: a text says what the number would); undefined when absent; null when invalid
 * (`"+5"`, `"1e3"`, `"100.5"` as 100.5 is).
 */
function attrCount(v: AttrValue | undefined): number | null | undefined {
  if (v === undefined || v === null) return undefined;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}(\.\d{1,20})?$/.test(v.trim()) ? Number(v) : NaN;
  return plausibleCount(n) ? n : null;
}

function tokenCounts(a: ReadonlyMap<string, AttrValue>): { usage: TokenUsage; splitKnown: boolean } | null {
  const get = (k: string): number | null | undefined => attrCount(a.get(k));
  const fields = {
    input: get('input_tokens'),
    output: get('output_tokens'),
    cacheRead: get('cache_read_tokens'),
    creation: get('cache_creation_tokens'),
    w5: get(PUSH_ATTRS.cacheWrite5m),
    w1: get(PUSH_ATTRS.cacheWrite1h),
    webSearch: get(PUSH_ATTRS.webSearch),
    webFetch: get(PUSH_ATTRS.webFetch),
  };
  if (Object.values(fields).some((v) => v === null)) return null;
  if (fields.input === undefined && fields.output === undefined) return null;
  const splitKnown = fields.w5 !== undefined && fields.w1 !== undefined;
  const usage: TokenUsage = {
    input: fields.input ?? 0,
    output: fields.output ?? 0,
    cacheRead: fields.cacheRead ?? 0,
    cacheWrite5m: splitKnown ? fields.w5! : (fields.creation ?? 0),
    cacheWrite1h: splitKnown ? fields.w1! : 0,
    webSearch: fields.webSearch ?? 0,
    webFetch: fields.webFetch ?? 0,
  };
  return { usage, splitKnown };
}

/** `event.timestamp` (ISO 8601), else the record time, else the observed time (epoch ms). */
function timestampOf(r: OtelLogRecord): number | 'bad' | null {
  // A time that is there but is no date is told apart from none, so the sender learns which.
  let bad = false;
  const iso = r.attributes.get('event.timestamp');
  if (iso !== undefined) {
    const t = typeof iso === 'string' && iso.length <= 40 ? parseIsoTimestamp(iso) : NaN;
    if (Number.isFinite(t)) return t;
    bad = true;
  }
  for (const ns of [r.timeUnixNano, r.observedTimeUnixNano]) {
    if (ns === null) continue;
    if (!/^\d{1,20}$/.test(ns)) {
      bad = true;
      continue;
    }
    // 0 is OTLP's "unknown"; any other value is a time, however early (then refused as implausible).
    const nanos = BigInt(ns);
    if (nanos > 0n) return Number(nanos / 1_000_000n);
  }
  return bad ? 'bad' : null;
}

/**
 * An event's every field, in one fixed order: the order the store keeps them in (the columns of
 * store/telemetry-writer.ts follow it), and what two copies that differ are ordered by.
 */
export function eventFields(e: TelemetryEvent): (string | number | null)[] {
  const u = e.usage;
  return [
    e.key,
    e.requestId,
    e.sessionId,
    e.promptId,
    e.messageId,
    e.model,
    e.ts,
    e.entrypoint,
    e.ccVersion,
    u.input,
    u.output,
    u.cacheRead,
    u.cacheWrite5m,
    u.cacheWrite1h,
    e.splitKnown ? 1 : 0,
    u.webSearch,
    u.webFetch,
    e.speed,
    e.inferenceGeo,
    e.classHint,
    e.project,
    e.gitBranch,
    e.user,
    e.repo,
    e.workflow,
    e.runId,
    e.host,
    e.agentName,
    e.skill,
    e.ccCost,
  ];
}

/** Two copies that differ, ordered the same way whichever came first (as text: not by size). */
const copyKey = (e: TelemetryEvent): string => JSON.stringify(eventFields(e));

/**
 * Two copies of one request's event (a `push` of a transcript copy and Claude Code's own event, or
 * a copy sent again) as one, the same whatever the order they came in:
 * - the counts of the copy with more output tokens (a transcript's streaming placeholder has few),
 *   on a tie of the copy whose cache-write split is known (a pushed one), else of the later copy;
 *   a known 5-minute / 1-hour split is kept when the other copy wrote as many tokens in all;
 * - what describes the request (message id, entrypoint, class, project, branch) from a pushed copy,
 *   the transcript's, the other filling what it lacks; between two pushed copies, the later;
 *   a pushed copy with a class keeps its own entrypoint, none included, as the class follows it;
 * - who ran it (user, repository, workflow, run, host, ...) from Claude Code's event: a pushed copy
 *   only fills what no event said, so pushing again (from another host) changes nothing.
 * Two of Claude Code's events that differ (a sender that sent one request id twice with other
 * content) are one whole copy, nothing of the other: the one with more output tokens, on a tie the
 * one whose fields order last (copyKey, as text), never the one that came last, so who is charged
 * does not hang on the order they came in, of two copies or more.
 */
export function mergeEvents(stored: TelemetryEvent, incoming: TelemetryEvent): TelemetryEvent {
  const out = incoming.usage.output - stored.usage.output;
  // Two of Claude Code's own events (a pushed copy, or one merged with one, knows its split).
  const bothSent = !incoming.splitKnown && !stored.splitKnown;
  const later = incoming.splitKnown || !stored.splitKnown ? incoming : stored;
  const counts =
    out !== 0
      ? out > 0
        ? incoming
        : stored
      : bothSent
        ? copyKey(incoming) >= copyKey(stored)
          ? incoming
          : stored
        : later;
  // Two of Claude Code's events: one of them whole, nothing filled in from the other. The one kept
  // is the largest of all copies by (output tokens, copyKey), so any order of three or more ends
  // on the same copy (a copy filled in would order otherwise than either it came from).
  if (bothSent) return { ...counts, key: stored.key };
  const other = counts === incoming ? stored : incoming;
  let usage = counts.usage;
  let splitKnown = counts.splitKnown;
  const writes = (u: TokenUsage): number => u.cacheWrite5m + u.cacheWrite1h;
  if (!splitKnown && other.splitKnown && writes(other.usage) === writes(usage)) {
    usage = { ...usage, cacheWrite5m: other.usage.cacheWrite5m, cacheWrite1h: other.usage.cacheWrite1h };
    splitKnown = true;
  }
  // Claude Code's events carry no web search or fetch counts: a pushed copy's stand.
  usage = {
    ...usage,
    webSearch: Math.max(usage.webSearch, other.usage.webSearch),
    webFetch: Math.max(usage.webFetch, other.usage.webFetch),
  };
  // The pushed copy describes, Claude Code's attributes; each fills what the other lacks.
  const meta = later;
  const rest = meta === incoming ? stored : incoming;
  const described = <T>(pick: (e: TelemetryEvent) => T | null): T | null => pick(meta) ?? pick(rest);
  const attributed = <T>(pick: (e: TelemetryEvent) => T | null): T | null =>
    incoming.splitKnown ? (pick(stored) ?? pick(incoming)) : (pick(incoming) ?? pick(stored));
  return {
    key: stored.key,
    requestId: described((e) => e.requestId),
    sessionId: described((e) => e.sessionId),
    promptId: described((e) => e.promptId),
    messageId: described((e) => e.messageId),
    model: counts.model,
    ts: counts.ts,
    entrypoint: meta.splitKnown && meta.classHint !== null ? meta.entrypoint : described((e) => e.entrypoint),
    ccVersion: described((e) => e.ccVersion),
    usage,
    splitKnown,
    speed: counts.speed ?? other.speed,
    inferenceGeo: counts.inferenceGeo ?? other.inferenceGeo,
    classHint: described((e) => e.classHint),
    project: described((e) => e.project),
    gitBranch: described((e) => e.gitBranch),
    user: attributed((e) => e.user),
    repo: attributed((e) => e.repo),
    workflow: attributed((e) => e.workflow),
    runId: attributed((e) => e.runId),
    host: attributed((e) => e.host),
    agentName: attributed((e) => e.agentName),
    skill: attributed((e) => e.skill),
    ccCost: attributed((e) => e.ccCost),
  };
}
