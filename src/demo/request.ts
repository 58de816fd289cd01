/**
 * One API request as transcript lines: a streamed copy per content block (placeholder output on
 * the early copies before 2.1.97), token counts that follow a growing cached context, and the
 * rare shapes real logs hold (no message id, web searches, fast mode, US inference).
 */
import type { Rng } from './prng.js';
import type { RequestClass } from '../domain/types.js';
import { assistantLine, assistantMessage, usageObject, type LineContext, type UsageFacts } from './lines.js';
import { hasFastMode } from './models.js';
import type { Offer, Sink } from './sink.js';
import { filePath, prose, shellCommand } from './text.js';
import type { CopyFacts } from './truth.js';

/** A conversation thread: the main agent, a subagent or a compaction run. */
export interface Thread {
  ctx: LineContext;
  sink: Sink;
  model: string;
  cls: RequestClass;
  /** Tokens already cached (read on the next request). */
  context: number;
  /** Tokens added since the last request (written to the cache on the next one). */
  pending: number;
  lastUuid: string | null;
  clock: number;
  /** Embeds copies into the parent's progress lines (subagents from 2.1.0). */
  embed: ((copyLine: Record<string, unknown>, offer: Offer) => void) | null;
  /** Hooks configured for the session: progress lines per hook before and after each tool. */
  hooks: number;
  /** Whether every copy is embedded (the subagent's own file is missing), not just the first. */
  embedAll: boolean;
  /** Probability that a copy set lacks its final copy (subagents before 2.1.97). */
  dropFinal: number;
}

export interface RequestFlags {
  fast: boolean;
  geoUs: boolean;
  /** Whether a line without message id may appear (never in sessions that are copied later). */
  allowNoId: boolean;
  /** Whether the request ends the turn (no tool call). */
  last: boolean;
  tool: 'Task' | 'Bash' | 'Read' | 'Edit' | 'Grep' | 'WebSearch' | null;
}

export interface RequestResult {
  toolUseId: string | null;
  lastUuid: string;
  output: number;
}

function msgId(rng: Rng, modern: boolean): string {
  return modern ? `msg_011C${rng.base58(20)}` : `msg_01${rng.base58(22)}`;
}

function toolInput(rng: Rng, tool: NonNullable<RequestFlags['tool']>, cwd: string): Record<string, unknown> {
  switch (tool) {
    case 'Bash':
      return { command: shellCommand(rng), description: 'Run the project checks' };
    case 'Read':
      return { file_path: filePath(rng, cwd) };
    case 'Edit':
      return { file_path: filePath(rng, cwd), old_string: prose(rng, 1), new_string: prose(rng, 1) };
    case 'Grep':
      return { pattern: rng.pick(['usage', 'deprecated', 'entrypoint', 'cycle']), path: cwd };
    case 'WebSearch':
      return { query: 'anthropic api cache write pricing' };
    case 'Task':
      return {
        description: 'Explore the codebase',
        prompt: prose(rng, 3),
        subagent_type: rng.pick(['Explore', 'general-purpose', 'Plan']),
      };
  }
}

/** Decides the usage of the next request of `thread` and advances its context. */
function nextUsage(rng: Rng, thread: Thread, flags: RequestFlags, isSub: boolean, tokenScale: number): UsageFacts {
  const f = thread.ctx.f;
  const fresh = thread.context === 0;
  const write = Math.max(
    0,
    Math.round(tokenScale * (thread.pending + (fresh ? rng.logNormal(14000, 0.3) : rng.logNormal(250, 1)))),
  );
  const cacheRead = fresh ? (rng.chance(0.6) ? Math.round(tokenScale * rng.int(9000, 22000)) : 0) : thread.context;
  thread.context += write + (fresh ? cacheRead : 0);
  thread.pending = 0;
  const oneHour = f.oneHourCache && (!isSub || rng.chance(0.5));
  const output = Math.max(
    1,
    Math.min(32000, Math.round(tokenScale * (flags.last ? rng.logNormal(420, 0.9) : rng.logNormal(160, 0.8)))),
  );
  const thinking = rng.chance(0.5) ? Math.floor(output * rng.float() * 0.6) : 0;
  return {
    input: rng.chance(0.05) ? rng.int(20, 4000) : rng.int(1, 12),
    output,
    cacheRead,
    cacheWrite5m: f.cacheBreakdown && oneHour ? 0 : write,
    cacheWrite1h: f.cacheBreakdown && oneHour ? write : 0,
    webSearch: flags.tool === 'WebSearch' || rng.chance(0.004) ? rng.int(1, 4) : 0,
    webFetch: rng.chance(0.02) ? 1 : 0,
    speed: flags.fast && f.modernUsage && hasFastMode(thread.model) ? 'fast' : 'standard',
    geo: flags.geoUs && f.inferenceGeo ? 'us' : f.modernUsage && rng.chance(0.2) ? 'global' : 'not_available',
    thinking,
  };
}

/** Writes one request of `thread` (all its streamed copies) and returns the tool call it makes. */
export function emitRequest(
  rng: Rng,
  thread: Thread,
  flags: RequestFlags,
  isSub: boolean,
  tokenScale = 1,
): RequestResult {
  const ctx = thread.ctx;
  const f = ctx.f;
  const usage = nextUsage(rng, thread, flags, isSub, tokenScale);
  const id = msgId(rng, f.modernUsage);
  const requestId = `req_011C${rng.base58(20)}`;
  const noId = flags.allowNoId && !isSub && rng.chance(0.0015);
  const blocks: Array<Record<string, unknown>> = [];
  if (usage.thinking > 0)
    blocks.push({ type: 'thinking', thinking: prose(rng, rng.int(1, 5)), signature: rng.base58(rng.int(200, 600)) });
  if (flags.last || rng.chance(0.6))
    blocks.push({ type: 'text', text: prose(rng, flags.last ? rng.int(2, 8) : rng.int(1, 2)) });
  let toolUseId: string | null = null;
  if (!flags.last && flags.tool !== null) {
    toolUseId = `toolu_01${rng.base58(22)}`;
    const block: Record<string, unknown> = {
      type: 'tool_use',
      id: toolUseId,
      name: flags.tool,
      input: toolInput(rng, flags.tool, ctx.cwd),
    };
    if (f.modernUsage) block.caller = { type: 'direct' };
    blocks.push(block);
  }
  if (blocks.length === 0) blocks.push({ type: 'text', text: prose(rng, 1) });
  const stopFinal = f.modernUsage ? (toolUseId !== null ? 'tool_use' : 'end_turn') : null;
  const copies = noId ? [blocks[blocks.length - 1] as Record<string, unknown>] : blocks;
  const dropLast = f.placeholderCopies && copies.length > 1 && rng.chance(thread.dropFinal);
  const placeholder = rng.pick([1, 3, 10]);
  let lastUuid = thread.lastUuid ?? '';
  for (let i = 0; i < copies.length; i++) {
    const isLast = i === copies.length - 1;
    const output = f.placeholderCopies && !isLast ? Math.min(placeholder, usage.output) : usage.output;
    const message = assistantMessage(
      f,
      thread.model,
      noId ? null : id,
      copies[i] as Record<string, unknown>,
      stopFinal,
      usageObject(f, usage, output),
    );
    const uuid = rng.uuid();
    thread.clock += isLast ? rng.int(300, 4000) : rng.int(200, 2500);
    const facts: CopyFacts = {
      model: thread.model,
      cls: thread.cls,
      input: usage.input,
      output,
      cacheRead: usage.cacheRead,
      cacheWrite5m: usage.cacheWrite5m,
      cacheWrite1h: usage.cacheWrite1h,
      webSearch: usage.webSearch,
      ts: thread.clock,
    };
    const key = noId ? null : `${id}:${requestId}`;
    if (!(dropLast && isLast)) {
      thread.sink.write(assistantLine(ctx, thread.lastUuid, uuid, thread.clock, message, noId ? null : requestId), [
        { key, facts, inProgress: false },
      ]);
    }
    if (thread.embed !== null && key !== null && (i === 0 || thread.embedAll)) {
      const copy = { type: 'assistant', timestamp: new Date(thread.clock).toISOString(), message, requestId, uuid };
      thread.embed(copy, { key, facts, inProgress: true });
    }
    thread.lastUuid = uuid;
    lastUuid = uuid;
  }
  return { toolUseId, lastUuid, output: usage.output };
}
