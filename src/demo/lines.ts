/**
 * Builders for transcript lines, with the field order and nesting of the Claude Code build that
 * writes them: envelope fields first up to 2.1.77, after the payload (with `entrypoint`) from 2.1.78;
 * usage objects growing from the 1.0.x shape to the one with iterations, speed and inference_geo.
 */
import type { TokenUsage } from '../domain/types.js';
import type { VersionFeatures } from './versions.js';

/** Where a line is written from: the session and, for subagents, the agent. */
export interface LineContext {
  f: VersionFeatures;
  cwd: string;
  sessionId: string;
  gitBranch: string;
  /** The entrypoint the process runs under (written only by builds that know the field). */
  entrypoint: string;
  slug: string | null;
  agentId: string | null;
  isSidechain: boolean;
}

/** The usage of one API response, as the generator decided it. */
export interface UsageFacts extends TokenUsage {
  speed: 'standard' | 'fast';
  geo: 'global' | 'us' | 'not_available';
  thinking: number;
}

type Obj = Record<string, unknown>;

/** Wraps a payload in the version's envelope. `tail` goes after uuid/timestamp. */
export function envelope(
  ctx: LineContext,
  parentUuid: string | null,
  body: Obj,
  uuid: string,
  ts: number,
  tail: Obj = {},
): Obj {
  const timestamp = new Date(ts).toISOString();
  const head: Obj = { parentUuid, isSidechain: ctx.isSidechain };
  if (!ctx.f.trailingEnvelope) {
    Object.assign(head, {
      userType: 'external',
      cwd: ctx.cwd,
      sessionId: ctx.sessionId,
      version: ctx.f.version,
      gitBranch: ctx.gitBranch,
    });
    if (ctx.agentId !== null) head.agentId = ctx.agentId;
    if (ctx.slug !== null) head.slug = ctx.slug;
    return { ...head, ...body, uuid, timestamp, ...tail };
  }
  if (ctx.agentId !== null) head.agentId = ctx.agentId;
  const trailer: Obj = {
    userType: 'external',
    entrypoint: ctx.entrypoint,
    cwd: ctx.cwd,
    sessionId: ctx.sessionId,
    version: ctx.f.version,
    gitBranch: ctx.gitBranch,
  };
  if (ctx.slug !== null) trailer.slug = ctx.slug;
  return { ...head, ...body, uuid, timestamp, ...tail, ...trailer };
}

/** The `message.usage` object this build writes, with `output` as given (placeholder or final). */
export function usageObject(f: VersionFeatures, u: UsageFacts, output: number): Obj {
  const writes = u.cacheWrite5m + u.cacheWrite1h;
  const server = { web_search_requests: u.webSearch, web_fetch_requests: u.webFetch };
  if (f.modernUsage) {
    const cacheCreation = { ephemeral_1h_input_tokens: u.cacheWrite1h, ephemeral_5m_input_tokens: u.cacheWrite5m };
    return {
      input_tokens: u.input,
      cache_creation_input_tokens: writes,
      cache_read_input_tokens: u.cacheRead,
      output_tokens: output,
      output_tokens_details: { thinking_tokens: Math.min(u.thinking, output) },
      server_tool_use: server,
      service_tier: 'standard',
      cache_creation: cacheCreation,
      inference_geo: u.geo,
      iterations: [
        {
          input_tokens: u.input,
          output_tokens: output,
          cache_read_input_tokens: u.cacheRead,
          cache_creation_input_tokens: writes,
          cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite5m, ephemeral_1h_input_tokens: u.cacheWrite1h },
          type: 'message',
        },
      ],
      speed: u.speed,
    };
  }
  const usage: Obj = {
    input_tokens: u.input,
    cache_creation_input_tokens: writes,
    cache_read_input_tokens: u.cacheRead,
  };
  if (f.cacheBreakdown)
    usage.cache_creation = { ephemeral_5m_input_tokens: u.cacheWrite5m, ephemeral_1h_input_tokens: u.cacheWrite1h };
  usage.output_tokens = output;
  if (f.serverToolUseAlways || u.webSearch > 0) usage.server_tool_use = server;
  usage.service_tier = 'standard';
  if (f.inferenceGeo) usage.inference_geo = u.geo;
  return usage;
}

/** An assistant `message` object (one content block per streamed copy). */
export function assistantMessage(
  f: VersionFeatures,
  model: string,
  id: string | null,
  block: Obj,
  stopReason: string | null,
  usage: Obj,
): Obj {
  const msg: Obj = {};
  if (f.idFirst) {
    if (id !== null) msg.id = id;
    Object.assign(msg, { type: 'message', role: 'assistant', model });
  } else {
    msg.model = model;
    if (id !== null) msg.id = id;
    Object.assign(msg, { type: 'message', role: 'assistant' });
  }
  msg.content = [block];
  msg.stop_reason = stopReason;
  msg.stop_sequence = null;
  if (f.modernUsage) msg.stop_details = null;
  msg.usage = usage;
  if (f.modernUsage) msg.diagnostics = null;
  return msg;
}

/** A whole assistant line. `requestId` null writes none (lines without ids). */
export function assistantLine(
  ctx: LineContext,
  parentUuid: string | null,
  uuid: string,
  ts: number,
  message: Obj,
  requestId: string | null,
): string {
  const body: Obj = { message };
  if (requestId !== null) body.requestId = requestId;
  body.type = 'assistant';
  return JSON.stringify(envelope(ctx, parentUuid, body, uuid, ts));
}

/** A locally made `<synthetic>` assistant message (API error text), zero usage. */
export function syntheticLine(
  ctx: LineContext,
  parentUuid: string | null,
  uuid: string,
  ts: number,
  msgId: string,
  text: string,
): string {
  const message = {
    id: msgId,
    container: null,
    model: '<synthetic>',
    role: 'assistant',
    stop_reason: 'stop_sequence',
    stop_sequence: '',
    type: 'message',
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: null,
      cache_creation: null,
    },
    content: [{ type: 'text', text }],
  };
  return JSON.stringify(
    envelope(ctx, parentUuid, { message, type: 'assistant' }, uuid, ts, { isApiErrorMessage: true }),
  );
}

/** A user line with a typed prompt (string content). */
export function promptLine(
  ctx: LineContext,
  parentUuid: string | null,
  uuid: string,
  ts: number,
  text: string,
  programmatic: boolean,
  promptId: string,
): string {
  const f = ctx.f;
  const body: Obj = f.trailingEnvelope ? { promptId, type: 'user' } : { type: 'user' };
  body.message = { role: 'user', content: text };
  const tail: Obj = {};
  if (!programmatic && f.fileHistorySnapshot)
    Object.assign(tail, { thinkingMetadata: { maxThinkingTokens: 31999 }, todos: [] });
  if (f.agentProgress || f.trailingEnvelope) tail.permissionMode = programmatic ? 'bypassPermissions' : 'default';
  if (programmatic && f.promptSource) tail.promptSource = 'sdk';
  return JSON.stringify(envelope(ctx, parentUuid, body, uuid, ts, tail));
}

/** A user line carrying a tool result of `content`, echoed in `toolUseResult` like real builds do. */
export function toolResultLine(
  ctx: LineContext,
  parentUuid: string,
  uuid: string,
  ts: number,
  toolUseId: string,
  content: string,
  sourceUuid: string,
): string {
  const message = {
    role: 'user',
    content: [{ tool_use_id: toolUseId, type: 'tool_result', content, is_error: false }],
  };
  const tail: Obj = {
    toolUseResult: { stdout: content, stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
  };
  if (ctx.f.agentProgress) tail.sourceToolAssistantUUID = sourceUuid;
  return JSON.stringify(envelope(ctx, parentUuid, { type: 'user', message }, uuid, ts, tail));
}

/** A `progress` line (hook, bash or agent progress) with the given `data`. */
export function progressLine(
  ctx: LineContext,
  parentUuid: string | null,
  uuid: string,
  ts: number,
  data: Obj,
  toolUseId: string,
  parentToolUseId: string,
): string {
  return JSON.stringify(
    envelope(
      ctx,
      parentUuid,
      { type: 'progress', data, toolUseID: toolUseId, parentToolUseID: parentToolUseId },
      uuid,
      ts,
    ),
  );
}

/** A `system` line (turn_duration, stop_hook_summary, compact_boundary, ...). */
export function systemLine(
  ctx: LineContext,
  parentUuid: string | null,
  uuid: string,
  ts: number,
  subtype: string,
  fields: Obj,
): string {
  return JSON.stringify(envelope(ctx, parentUuid, { type: 'system', subtype, ...fields }, uuid, ts, { isMeta: false }));
}
