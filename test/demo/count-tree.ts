/**
 * An independent, deliberately simple reader of a generated tree for tests: walks every file,
 * parses every line, applies the de-duplication and class rules of the transcript format notes
 * itself (not the project's reader), and counts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

type Cls = 'programmatic' | 'interactive' | 'unknown';
type Json = Record<string, unknown>;

export interface Totals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  webSearchRequests: number;
}

export interface TreeCount {
  files: string[];
  bytes: number;
  lines: number;
  noIdLines: number;
  minTs: number;
  maxTs: number;
  byClass: Record<Cls, Totals>;
  byModel: Record<string, Totals>;
  total: Totals;
}

const PROGRAMMATIC = new Set(['sdk-cli', 'sdk-ts', 'sdk-py', 'claude-code-github-action', 'mcp', 'bench']);

function zero(): Totals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    webSearchRequests: 0,
  };
}

/** Every file below `dir`, as absolute paths. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

interface Copy {
  sessionId: string;
  entrypoint: string | null;
  model: string;
  usage: Json;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Counts a generated root the slow, obvious way. */
export function countTree(root: string): TreeCount {
  const files = walk(join(root, 'projects')).filter((p) => p.endsWith('.jsonl'));
  const best = new Map<string, Copy>();
  const noId: Copy[] = [];
  const signals = new Map<string, { snapshot: boolean; queueFirst: boolean; sdkPrompt: boolean }>();
  let bytes = 0;
  let lines = 0;
  let minTs = Number.POSITIVE_INFINITY;
  let maxTs = 0;
  const seeTs = (v: unknown): void => {
    if (typeof v !== 'string') return;
    const ms = Date.parse(v);
    minTs = Math.min(minTs, ms);
    maxTs = Math.max(maxTs, ms);
  };
  const offer = (key: string | null, copy: Copy): void => {
    if (key === null) return void noId.push(copy);
    const seen = best.get(key);
    if (seen === undefined || num(copy.usage.output_tokens) > num(seen.usage.output_tokens)) best.set(key, copy);
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    bytes += Buffer.byteLength(text);
    const rows = text.split('\n').filter((l) => l.length > 0);
    lines += rows.length;
    rows.forEach((row, i) => {
      const o = JSON.parse(row) as Json;
      const sessionId = String(o.sessionId ?? '');
      const sig = signals.get(sessionId) ?? { snapshot: false, queueFirst: false, sdkPrompt: false };
      signals.set(sessionId, sig);
      seeTs(o.timestamp);
      if (i === 0 && o.type === 'queue-operation') sig.queueFirst = true;
      if (o.type === 'user' && o.promptSource === 'sdk') sig.sdkPrompt = true;
      if (o.type === 'file-history-snapshot') {
        // A snapshot line carries no sessionId: it marks the session of its file.
        const fileSession = text.match(/"sessionId":"([0-9a-f-]{36})"/)?.[1] ?? '';
        const s = signals.get(fileSession) ?? { snapshot: false, queueFirst: false, sdkPrompt: false };
        s.snapshot = true;
        signals.set(fileSession, s);
      }
      const entrypoint = typeof o.entrypoint === 'string' ? o.entrypoint : null;
      const message = o.message as Json | undefined;
      if (o.type === 'assistant' && message?.usage !== undefined && message.model !== '<synthetic>') {
        const key = typeof message.id === 'string' ? `${message.id}:${String(o.requestId ?? '')}` : null;
        offer(key, { sessionId, entrypoint, model: String(message.model), usage: message.usage as Json });
      }
      const data = o.data as Json | undefined;
      const embedded = data?.type === 'agent_progress' ? (data.message as Json | undefined) : undefined;
      const inner = embedded?.message as Json | undefined;
      if (embedded?.type === 'assistant' && inner?.usage !== undefined) {
        seeTs(embedded.timestamp);
        offer(`${String(inner.id)}:${String(embedded.requestId ?? '')}`, {
          sessionId,
          entrypoint,
          model: String(inner.model),
          usage: inner.usage as Json,
        });
      }
    });
  }
  const history = new Set(
    readFileSync(join(root, 'history.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => String((JSON.parse(l) as Json).sessionId)),
  );
  const classOf = (c: Copy): Cls => {
    if (c.entrypoint !== null) return PROGRAMMATIC.has(c.entrypoint) ? 'programmatic' : 'interactive';
    const s = signals.get(c.sessionId);
    if (s?.snapshot) return 'interactive';
    if (s?.queueFirst || s?.sdkPrompt) return 'programmatic';
    return history.has(c.sessionId) ? 'interactive' : 'unknown';
  };
  const byClass: Record<Cls, Totals> = { programmatic: zero(), interactive: zero(), unknown: zero() };
  const byModel: Record<string, Totals> = {};
  const total = zero();
  for (const c of [...best.values(), ...noId]) {
    const u = c.usage;
    const cc = u.cache_creation as Json | undefined | null;
    const writes = num(u.cache_creation_input_tokens);
    const w1h = cc ? num(cc.ephemeral_1h_input_tokens) : 0;
    const server = u.server_tool_use as Json | undefined;
    for (const t of [total, byClass[classOf(c)], (byModel[c.model] ??= zero())]) {
      t.requests++;
      t.inputTokens += num(u.input_tokens);
      t.outputTokens += num(u.output_tokens);
      t.cacheReadTokens += num(u.cache_read_input_tokens);
      t.cacheWrite5mTokens += cc ? num(cc.ephemeral_5m_input_tokens) : writes;
      t.cacheWrite1hTokens += w1h;
      t.webSearchRequests += num(server?.web_search_requests);
    }
  }
  return { files, bytes, lines, noIdLines: noId.length, minTs, maxTs, byClass, byModel, total };
}
