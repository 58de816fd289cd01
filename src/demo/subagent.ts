/**
 * Subagent and compaction runs. A subagent's lines go where its version puts them: inline with
 * `isSidechain` (up to 2.0.27), `agent-<id>.jsonl` beside the session (2.0.28-2.1.1), or
 * `<session>/subagents/agent-<id>.jsonl` (2.1.2 on); from 2.1.0 its messages are also embedded
 * in the parent's `agent_progress` lines, and a few subagent files are missing altogether.
 */
import { join } from 'node:path';
import type { EmitEnv } from './emit-env.js';
import { progressLine, promptLine, systemLine, toolResultLine, type LineContext } from './lines.js';
import { modelAt } from './models.js';
import type { Rng } from './prng.js';
import { emitRequest, type RequestFlags, type Thread } from './request.js';
import type { SessionPlan } from './schedule.js';
import { toolResult } from './tools.js';
import { FileSink, NULL_SINK, type Sink } from './sink.js';
import { filler, prose } from './text.js';
import { LineFile } from './tree-writer.js';

function subFile(env: EmitEnv, path: string, files: LineFile[]): Sink {
  const file = new LineFile(path, env.counter);
  files.push(file);
  return new FileSink(file, env.truth);
}

/** Runs the subagent started by the main thread's Task call `toolUseId`, then returns its result. */
export function runSubagent(
  rng: Rng,
  main: Thread,
  toolUseId: string,
  task: string,
  plan: SessionPlan,
  env: EmitEnv,
  limit: number,
): void {
  const f = main.ctx.f;
  const layout = f.subagentLayout;
  const agentId = `a${rng.hex(6)}`;
  const missing = f.agentProgress && layout !== 'inline' && rng.chance(0.04);
  const projectDir = join(env.root, 'projects', main.ctx.cwd.replace(/[/\\:.]/g, '-'));
  const files: LineFile[] = [];
  let sink: Sink = main.sink;
  if (missing) {
    sink = NULL_SINK;
    env.stats.missingSubagentFiles++;
  } else if (layout === 'beside') {
    sink = subFile(env, join(projectDir, `agent-${agentId}.jsonl`), files);
  } else if (layout === 'folder') {
    sink = subFile(env, join(projectDir, main.ctx.sessionId, 'subagents', `agent-${agentId}.jsonl`), files);
  }
  env.stats.subagentRuns[layout]++;
  const ctx: LineContext = { ...main.ctx, agentId: layout === 'inline' ? null : agentId, isSidechain: true };
  const family = rng.weighted<'haiku' | 'sonnet' | 'same'>([
    ['haiku', 0.4],
    ['sonnet', 0.35],
    ['same', 0.25],
  ]);
  const model = family === 'same' ? main.model : modelAt(rng, family, main.clock);
  const prompt = `${task}\n\n${prose(rng, rng.int(2, 6))}`;
  const sub: Thread = {
    ctx,
    sink,
    model,
    cls: main.cls,
    context: 0,
    pending: 0,
    lastUuid: null,
    clock: main.clock + rng.int(200, 2000),
    embed: null,
    embedAll: missing,
    dropFinal: f.placeholderCopies ? 0.25 : 0,
    hooks: main.hooks,
  };
  const promptUuid = rng.uuid();
  sink.write(promptLine(ctx, null, promptUuid, sub.clock, prompt, plan.kind !== 'interactive', rng.uuid()));
  sub.lastUuid = promptUuid;
  if (f.agentProgress) {
    const agentMsgId = `agent_msg_01${rng.base58(22)}`;
    const data = (message: Record<string, unknown>): Record<string, unknown> => ({
      message,
      normalizedMessages: [],
      type: 'agent_progress',
      prompt,
      agentId,
    });
    main.sink.write(
      progressLine(
        main.ctx,
        main.lastUuid,
        rng.uuid(),
        sub.clock,
        data({
          type: 'user',
          message: { role: 'user', content: [{ type: 'text', text: prompt }] },
          uuid: promptUuid,
          timestamp: new Date(sub.clock).toISOString(),
        }),
        agentMsgId,
        toolUseId,
      ),
    );
    sub.embed = (copy, offer) =>
      main.sink.write(progressLine(main.ctx, main.lastUuid, rng.uuid(), sub.clock, data(copy), agentMsgId, toolUseId), [
        offer,
      ]);
  }
  const requests = rng.int(2, 14);
  const flags: RequestFlags = { fast: false, geoUs: plan.geoUs, allowNoId: false, last: false, tool: null };
  for (let i = 0; i < requests && sub.clock < limit; i++) {
    flags.last = i === requests - 1;
    flags.tool = flags.last
      ? null
      : rng.weighted<RequestFlags['tool']>([
          ['Read', 40],
          ['Grep', 30],
          ['Bash', 20],
          ['WebSearch', 1],
        ]);
    const result = emitRequest(rng, sub, flags, true, env.tokenScale);
    if (result.toolUseId !== null) toolResult(rng, sub, result.toolUseId, result.lastUuid, flags.tool, env, 1800);
  }
  for (const file of files) file.close();
  main.clock = sub.clock + rng.int(100, 1000);
  const uuid = rng.uuid();
  main.sink.write(
    toolResultLine(
      main.ctx,
      main.lastUuid ?? uuid,
      uuid,
      main.clock,
      toolUseId,
      `${prose(rng, 4)}\n${filler(rng, rng.logNormal(1500 * env.pad, 0.7))}`,
      main.lastUuid ?? uuid,
    ),
  );
  main.lastUuid = uuid;
  main.pending += Math.round(rng.logNormal(1200, 0.6));
}

/** Compacts the main thread: a summary request (its own acompact file from 2.1.2), then a boundary. */
export function compact(rng: Rng, main: Thread, env: EmitEnv, projectDir: string): void {
  const f = main.ctx.f;
  const preTokens = main.context + main.pending;
  const flags: RequestFlags = { fast: false, geoUs: false, allowNoId: false, last: true, tool: null };
  if (f.compactionFiles && env.subagents) {
    const id = rng.hex(6);
    const file = new LineFile(
      join(projectDir, main.ctx.sessionId, 'subagents', `agent-acompact-${id}.jsonl`),
      env.counter,
    );
    const ctx: LineContext = { ...main.ctx, agentId: `acompact-${id}`, isSidechain: true };
    const run: Thread = {
      ...main,
      ctx,
      sink: new FileSink(file, env.truth),
      embed: null,
      embedAll: false,
      dropFinal: 0,
      lastUuid: null,
    };
    const uuid = rng.uuid();
    run.sink.write(
      promptLine(
        ctx,
        null,
        uuid,
        run.clock,
        `<system-reminder>\n${filler(rng, 1500 * env.pad)}\n</system-reminder>`,
        false,
        rng.uuid(),
      ),
    );
    run.lastUuid = uuid;
    emitRequest(rng, run, flags, true, env.tokenScale);
    file.close();
    main.clock = run.clock;
    env.stats.compactionFiles++;
  } else {
    emitRequest(rng, main, flags, false, env.tokenScale);
  }
  const boundary = rng.uuid();
  main.clock += rng.int(500, 3000);
  main.sink.write(
    systemLine(main.ctx, null, boundary, main.clock, 'compact_boundary', {
      content: 'Conversation compacted',
      level: 'info',
      logicalParentUuid: main.lastUuid,
      compactMetadata: { trigger: 'auto', preTokens },
    }),
  );
  const summaryUuid = rng.uuid();
  main.sink.write(
    promptLine(
      main.ctx,
      boundary,
      summaryUuid,
      main.clock + 5,
      `This session is being continued from a previous conversation that ran out of context. Summary:\n${filler(rng, rng.logNormal(5000 * env.pad, 0.4))}`,
      false,
      rng.uuid(),
    ),
  );
  main.lastUuid = summaryUuid;
  main.context = 0;
  main.pending = rng.int(12_000, 30_000);
}
