/**
 * `push`: the requests this store read from transcripts, sent to an OTLP/HTTP endpoint as
 * `claude_code.api_request` records with the same keys and the whole token split, each once, and
 * again when its stored copy changed since (a later, longer copy of a streaming response).
 * A batch is marked sent only when the endpoint acknowledged it; a failure stops the run and the
 * next run resends only what was not acknowledged.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostname } from 'node:os';
import { PUSH_ATTRS } from '../domain/telemetry.js';
import { escapeControls } from '../domain/escape-controls.js';
import { forgetSent, markSent, sentCount, unsentRequests, type PushRow } from '../store/push-state.js';
import type { Db } from '../store/database.js';

export interface PushOptions {
  /** Base endpoint (as OTEL_EXPORTER_OTLP_ENDPOINT) or the full `/v1/logs` URL. */
  to: string;
  token: string | null;
  batchSize?: number;
  /** Send every request, whatever the target acknowledged before (`push --again`). */
  again?: boolean;
}

export interface PushResult {
  target: string;
  sent: number;
  rejected: number;
  /** What the endpoint said of the requests it refused (its `partialSuccess.errorMessage`), the first such; null when none. */
  rejectedWhy: string | null;
  batches: number;
  alreadySent: number;
  /** Set when the endpoint failed: what was acknowledged before stays sent. */
  error: string | null;
  /** The HTTP status of that failure, when the endpoint answered one. */
  status: number | null;
}

/** The `/v1/logs` URL of an endpoint given with or without the path. */
export function logsUrl(to: string): string {
  const u = new URL(to);
  if (!u.pathname.endsWith('/v1/logs')) u.pathname = `${u.pathname.replace(/\/+$/, '')}/v1/logs`;
  return u.toString();
}

/** Sends every unsent transcript-read request in batches; never throws for endpoint failures. */
export async function pushRequests(db: Db, options: PushOptions): Promise<PushResult> {
  const target = logsUrl(options.to);
  if (options.again) forgetSent(db, target);
  let size = options.batchSize ?? 512;
  const out: PushResult = {
    target,
    sent: 0,
    rejected: 0,
    rejectedWhy: null,
    batches: 0,
    alreadySent: sentCount(db, target),
    error: null,
    status: null,
  };
  let after: string | null = null;
  for (;;) {
    const rows = unsentRequests(db, target, size, after);
    if (rows.length === 0) break;
    const from: string | null = after;
    after = rows[rows.length - 1]!.key;
    const body = JSON.stringify(exportRequest(rows));
    let response: Answer;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      response = await post(target, headers, body, 30_000);
    } catch (err) {
      out.error = `${target} could not be reached (${causeText(err, target)})`;
      break;
    }
    const text = response.text;
    if (response.status === 413 && rows.length > 1) {
      // Over the endpoint's body limit (serve --max-body-mb): the same requests in smaller batches.
      size = Math.max(1, Math.floor(rows.length / 2));
      after = from;
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      out.status = response.status;
      // What the other end sent back is shown with its control characters escaped: it is its text.
      const moved =
        response.location !== null ? ` (a redirect to ${escapeControls(response.location)}, not followed)` : '';
      out.error = `${target} answered ${response.status}${moved}${text ? `: ${escapeControls(text.slice(0, 200))}` : ''}`;
      break;
    }
    const refused = refusalOf(text);
    out.rejected += refused.count;
    if (refused.count > 0) out.rejectedWhy ??= refused.why;
    // Refused requests are marked sent too: the endpoint would refuse them again (a model name
    // over its limit, say); the result names them, and the command exits 1.
    markSent(db, target, rows);
    out.sent += rows.length;
    out.batches++;
  }
  return out;
}

/** How many requests an OTLP answer says were refused, and why (its error message, escaped and cut), if it says. */
function refusalOf(text: string): { count: number; why: string | null } {
  try {
    const v = JSON.parse(text) as { partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: unknown } };
    const count = Number(v.partialSuccess?.rejectedLogRecords ?? 0) || 0;
    const message = v.partialSuccess?.errorMessage;
    const why = typeof message === 'string' && message.trim() !== '' ? escapeControls(message.slice(0, 200)) : null;
    return { count, why };
  } catch {
    return { count: 0, why: null };
  }
}

type Attr = { key: string; value: { stringValue: string } | { intValue: string } | { doubleValue: number } };

/** One OTLP JSON `ExportLogsServiceRequest` for a batch of stored requests. */
export function exportRequest(rows: readonly PushRow[]): unknown {
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'creditmeter'), str('host.name', hostname())] },
        scopeLogs: [{ scope: { name: 'creditmeter.push' }, logRecords: rows.map(logRecord) }],
      },
    ],
  };
}

function str(key: string, v: string): Attr {
  return { key, value: { stringValue: v } };
}
function int(key: string, v: number): Attr {
  return { key, value: { intValue: String(v) } };
}

function logRecord(r: PushRow): unknown {
  const a: Attr[] = [
    str('event.name', 'api_request'),
    str('event.timestamp', new Date(r.ts).toISOString()),
    str('model', r.model),
    int('input_tokens', r.input_tokens),
    int('output_tokens', r.output_tokens),
    int('cache_read_tokens', r.cache_read_tokens),
    int('cache_creation_tokens', r.cache_write_5m_tokens + r.cache_write_1h_tokens),
    int(PUSH_ATTRS.cacheWrite5m, r.cache_write_5m_tokens),
    int(PUSH_ATTRS.cacheWrite1h, r.cache_write_1h_tokens),
    int(PUSH_ATTRS.webSearch, r.web_search_requests),
    int(PUSH_ATTRS.webFetch, r.web_fetch_requests),
    str(PUSH_ATTRS.cls, r.class),
  ];
  if (r.request_id !== null) a.push(str('request_id', r.request_id));
  else {
    // No request id: the receiver keys by session + prompt + sequence; the transcript key is unique.
    a.push(str('prompt.id', 'transcript'), str('event.sequence', r.key));
  }
  a.push(str('session.id', r.session_id ?? 'unknown-session'));
  const optional: [string, string | null][] = [
    ['app.entrypoint', r.entrypoint],
    ['app.version', r.cc_version],
    ['speed', r.speed],
    [PUSH_ATTRS.inferenceGeo, r.inference_geo],
    [PUSH_ATTRS.messageId, r.message_id],
    [PUSH_ATTRS.project, r.project],
    [PUSH_ATTRS.gitBranch, r.git_branch],
    ['user.email', r.user_name],
    ['vcs.repository.name', r.repo],
    ['workflow.name', r.workflow],
    ['workflow.run_id', r.run_id],
    // The host an event named (a record's own attribute outranks the resource's, this machine).
    ['host.name', r.host],
    ['agent.name', r.agent_name],
    ['skill.name', r.skill],
  ];
  for (const [k, v] of optional) if (v !== null && v !== '') a.push(str(k, v));
  return {
    timeUnixNano: `${BigInt(r.ts) * 1_000_000n}`,
    body: { stringValue: 'claude_code.api_request' },
    attributes: a,
  };
}

/** Certificate errors of Node's TLS client that trusting the server's CA fixes. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/**
 * The reason a fetch failed: its cause (the network error) when there is one, else its message;
 * for a certificate this machine does not trust (the commonest TLS mistake: a self-signed one),
 * the way out too.
 */
function causeText(err: unknown, target: string): string {
  const e = err as { code?: unknown; name?: unknown };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'no answer within 30 s';
  const text = reasonOf(err) ?? String(err);
  const code = e.code;
  if (typeof code === 'string' && UNTRUSTED.has(code))
    return `${text}; to trust it, run with NODE_EXTRA_CA_CERTS=<its CA certificate, PEM>`;
  // A TLS hello to a plain-HTTP port: serve closes it without a word.
  if (target.startsWith('https:') && (code === 'ECONNRESET' || code === 'EPROTO'))
    return `${text}; a serve started without --tls-cert speaks plain HTTP: give --to http://`;
  return text;
}

/** What an endpoint answered: its status and (the start of) its body. */
interface Answer {
  status: number;
  text: string;
  /** Where a redirect points (not followed: a batch is posted where --to says, once). */
  location: string | null;
}

/**
 * POSTs `body` to `url` with Node's HTTP client. Not `fetch`: it refuses the ports browsers block
 * (6000, 6666, 10080, …), on which serve listens and the OTLP exporters send without a word.
 */
function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : u.protocol === 'http:' ? httpRequest : null;
    if (send === null) {
      reject(new Error(`${u.protocol} is not http: or https:`));
      return;
    }
    const request = send(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= 65_536) return; // an answer's start says what it is
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            location: typeof res.headers.location === 'string' ? absolute(res.headers.location, url) : null,
          }),
        );
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function reasonOf(v: unknown): string | null {
  if (v instanceof Error) return v.message;
  return typeof v === 'string' ? v : null;
}

/** A redirect's target as a whole URL (a Location may be relative to the request's). */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href.slice(0, 200);
  } catch {
    return location.slice(0, 200);
  }
}
