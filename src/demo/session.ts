/**
 * Emits one planned session as transcript files: prompts, streamed assistant copies, tool results
 * and progress lines in the main file, subagents and compaction runs in the layout of the version,
 * and the per-kind signals (file-history-snapshot, queue-operation first, promptSource).
 */
import { join } from 'node:path';
import { DEFAULT_ENTRYPOINT_CLASSES } from '../domain/classify.js';
import type { RequestClass } from '../domain/types.js';
import type { EmitEnv } from './emit-env.js';
import { progressLine, promptLine, syntheticLine, systemLine, type LineContext } from './lines.js';
import { acceptsLongContext } from './models.js';
import type { Rng } from './prng.js';
import { emitRequest, type RequestFlags, type Thread } from './request.js';
import type { SessionPlan } from './schedule.js';
import { FileSink } from './sink.js';
import { compact, runSubagent } from './subagent.js';
import { filler, promptText } from './text.js';
import { toolResult } from './tools.js';
import { encodeCwd, LineFile } from './tree-writer.js';
import { featuresOf, type VersionFeatures } from './versions.js';

const MINUTE = 60_000;

/** The class a correct reader must give this session's requests (entrypoint, else fallback signals). */
export function observableClass(plan: SessionPlan, f: VersionFeatures): RequestClass {
  if (f.entrypoint) return DEFAULT_ENTRYPOINT_CLASSES[plan.entrypoint] ?? 'interactive';
  if (plan.kind === 'interactive') return 'interactive';
  return f.queueOperationFirst || f.promptSource ? 'programmatic' : 'unknown';
}

/** Writes every file of `plan`; returns the session id. */
export function emitSession(rng: Rng, plan: SessionPlan, env: EmitEnv): string {
  const f = featuresOf(plan.version);
  const programmatic = plan.kind !== 'interactive';
  const sessionId = rng.uuid();
  const projectDir = join(env.root, 'projects', encodeCwd(plan.project.cwd));
  const file = new LineFile(join(projectDir, `${sessionId}.jsonl`), env.counter);
  const keep = plan.resumed ? [] : null;
  if (keep !== null) env.retained.set(plan.index, keep);
  const sink = new FileSink(file, env.truth, keep);
  const ctx: LineContext = {
    f,
    cwd: plan.project.cwd,
    sessionId,
    gitBranch: rng.pick(plan.project.branches),
    entrypoint: plan.entrypoint,
    slug:
      f.inferenceGeo && !programmatic
        ? `${rng.pick(['modular', 'quiet', 'brisk'])}-${rng.pick(['petting', 'sailing', 'humming'])}-${rng.pick(['thompson', 'lovelace', 'hopper'])}`
        : null,
    agentId: null,
    isSidechain: false,
  };
  const main: Thread = {
    ctx,
    sink,
    model: plan.model,
    cls: observableClass(plan, f),
    context: 0,
    pending: 0,
    lastUuid: null,
    clock: plan.startMs,
    embed: null,
    embedAll: false,
    dropFinal: 0,
    hooks: programmatic ? (rng.chance(0.25) ? 1 : 0) : rng.int(1, 3),
  };
  const limit = env.endMs - 10 * MINUTE;
  const longContext = plan.longContext && acceptsLongContext(plan.model);
  if (longContext) main.pending = rng.int(150_000, 260_000);
  const compactAt = longContext ? 700_000 : rng.int(140_000, 170_000);
  env.stats.sessions++;
  if (!f.entrypoint) env.stats.sessionsWithoutEntrypoint++;

  let prompt = promptText(rng, plan.project.name);
  if (programmatic && f.queueOperationFirst) writeQueue(sink, sessionId, main.clock, prompt);
  if (plan.resumeOf !== null) copyResumed(plan, env, sink, sessionId);
  const flags: RequestFlags = { fast: plan.fast, geoUs: plan.geoUs, allowNoId: !plan.resumed, last: false, tool: null };
  for (let turn = 0; turn < plan.turns && main.clock < limit && env.counter.bytes < env.stopBytes; turn++) {
    if (turn > 0) prompt = promptText(rng, plan.project.name);
    if (turn > 0 && programmatic && f.queueOperationFirst) writeQueue(sink, sessionId, main.clock, prompt);
    const promptUuid = rng.uuid();
    if (!programmatic && f.fileHistorySnapshot) sink.write(snapshotLine(rng, promptUuid, main.clock, turn));
    if (turn === 0 && !programmatic && f.hookProgress) {
      sink.write(
        progressLine(
          ctx,
          null,
          rng.uuid(),
          main.clock,
          {
            type: 'hook_progress',
            hookEvent: 'SessionStart',
            hookName: 'SessionStart:startup',
            command: '$HOME/.claude/hooks/session-start.sh',
          },
          rng.uuid(),
          rng.uuid(),
        ),
      );
    }
    sink.write(promptLine(ctx, main.lastUuid, promptUuid, main.clock, prompt, programmatic, rng.uuid()));
    main.lastUuid = promptUuid;
    if (!programmatic)
      env.history.push({ display: prompt, pastedContents: {}, timestamp: main.clock, project: ctx.cwd, sessionId });
    if (programmatic && f.modernUsage)
      sink.write(JSON.stringify({ type: 'last-prompt', lastPrompt: prompt, leafUuid: promptUuid, sessionId }));
    main.pending += rng.int(20, 400);
    const requests = Math.max(1, Math.round(plan.requestsPerTurn * (0.5 + rng.float())));
    for (let r = 0; r < requests && main.clock < limit; r++) {
      flags.last = r === requests - 1;
      flags.tool = flags.last ? null : pickTool(rng, env.subagents ? plan.subagentShare : 0);
      const result = emitRequest(rng, main, flags, false, env.tokenScale);
      main.clock += spreadDelay(env, main.clock, limit);
      if (result.toolUseId !== null && flags.tool === 'Task')
        runSubagent(rng, main, result.toolUseId, prompt, plan, env, limit);
      else if (result.toolUseId !== null) toolResult(rng, main, result.toolUseId, result.lastUuid, flags.tool, env);
      if (main.context + main.pending > compactAt && main.clock < limit) compact(rng, main, env, projectDir);
    }
    endTurn(rng, main, env, programmatic);
    main.clock += programmatic ? rng.int(2000, 60_000) : Math.round(rng.logNormal(4 * MINUTE, 1));
  }
  if (programmatic && f.modernUsage)
    sink.write(JSON.stringify({ type: 'last-prompt', lastPrompt: prompt, leafUuid: main.lastUuid, sessionId }));
  if (f.idFirst && rng.chance(0.3))
    sink.write(
      JSON.stringify({ type: 'summary', summary: `${plan.project.name}: ${prompt}`, leafUuid: main.lastUuid }),
    );
  file.close();
  return sessionId;
}

function writeQueue(sink: FileSink, sessionId: string, clock: number, prompt: string): void {
  sink.write(
    JSON.stringify({
      type: 'queue-operation',
      operation: 'enqueue',
      timestamp: new Date(clock).toISOString(),
      sessionId,
      content: prompt,
    }),
  );
  sink.write(
    JSON.stringify({
      type: 'queue-operation',
      operation: 'dequeue',
      timestamp: new Date(clock + 1).toISOString(),
      sessionId,
    }),
  );
}

/** Copies the kept lines of the resumed session (same ids) under the new session id. */
function copyResumed(plan: SessionPlan, env: EmitEnv, sink: FileSink, sessionId: string): void {
  const kept = plan.resumeOf === null ? undefined : env.retained.get(plan.resumeOf);
  if (kept === undefined || kept.length === 0) return;
  const from = /"sessionId":"[0-9a-f-]{36}"/g;
  for (const { line, offers } of kept) sink.write(line.replace(from, `"sessionId":"${sessionId}"`), offers);
  env.stats.resumedSessions++;
  if (plan.resumeOf !== null) env.retained.delete(plan.resumeOf);
}

function snapshotLine(rng: Rng, messageId: string, clock: number, turn: number): string {
  const backups: Record<string, unknown> = {};
  const files = Math.min(30, turn * 2 + rng.int(0, 3));
  for (let i = 0; i < files; i++) {
    backups[`src/${rng.pick(['lib', 'app', 'test'])}/${rng.hex(6)}.ts`] = {
      backupFileName: `${rng.hex(16)}@v${rng.int(1, 6)}`,
      version: rng.int(1, 6),
      backupTime: new Date(clock - rng.int(1000, 600_000)).toISOString(),
    };
  }
  return JSON.stringify({
    type: 'file-history-snapshot',
    messageId,
    snapshot: { messageId, trackedFileBackups: backups, timestamp: new Date(clock).toISOString() },
    isSnapshotUpdate: false,
  });
}

function pickTool(rng: Rng, taskShare: number): RequestFlags['tool'] {
  if (rng.chance(taskShare)) return 'Task';
  return rng.weighted<RequestFlags['tool']>([
    ['Bash', 30],
    ['Read', 30],
    ['Edit', 15],
    ['Grep', 15],
    ['WebSearch', 0.6],
  ]);
}

function endTurn(rng: Rng, main: Thread, env: EmitEnv, programmatic: boolean): void {
  const ctx = main.ctx;
  if (rng.chance(0.012)) {
    const uuid = rng.uuid();
    main.clock += rng.int(100, 3000);
    main.sink.write(
      syntheticLine(
        ctx,
        main.lastUuid,
        uuid,
        main.clock,
        rng.uuid(),
        rng.pick([
          'API Error: Request was aborted.',
          'No response requested.',
          'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        ]),
      ),
    );
    main.lastUuid = uuid;
    env.stats.syntheticLines++;
  }
  if (!ctx.f.hookProgress) return;
  if (rng.chance(0.3)) {
    main.sink.write(
      systemLine(ctx, main.lastUuid, rng.uuid(), main.clock + 10, 'stop_hook_summary', {
        hookCount: 2,
        hookInfos: [{ command: '$HOME/.claude/hooks/notify.sh' }],
        hookErrors: [],
        preventedContinuation: false,
        stopReason: '',
        hasOutput: true,
        level: 'suggestion',
      }),
    );
  }
  if (!programmatic && ctx.f.modernUsage && rng.chance(0.3)) {
    main.sink.write(
      JSON.stringify({
        parentUuid: main.lastUuid,
        isSidechain: false,
        attachment: {
          type: 'hook_additional_context',
          content: [filler(rng, 300)],
          hookName: 'UserPromptSubmit',
          toolUseID: rng.uuid(),
          hookEvent: 'UserPromptSubmit',
        },
        type: 'attachment',
        uuid: rng.uuid(),
        timestamp: new Date(main.clock + 20).toISOString(),
        userType: 'external',
        entrypoint: ctx.entrypoint,
        cwd: ctx.cwd,
        sessionId: ctx.sessionId,
        version: ctx.f.version,
        gitBranch: ctx.gitBranch,
      }),
    );
  }
  if (!programmatic && rng.chance(0.05)) {
    const content = `<task-notification>\n<task-id>${rng.hex(7)}</task-id>\n<status>completed</status>\n</task-notification>`;
    main.sink.write(
      JSON.stringify({
        type: 'queue-operation',
        operation: 'enqueue',
        timestamp: new Date(main.clock + 30).toISOString(),
        sessionId: ctx.sessionId,
        content,
      }),
    );
    main.sink.write(
      JSON.stringify({
        type: 'queue-operation',
        operation: 'remove',
        timestamp: new Date(main.clock + 40).toISOString(),
        sessionId: ctx.sessionId,
      }),
    );
  }
  main.sink.write(
    systemLine(ctx, main.lastUuid, rng.uuid(), main.clock + 50, 'turn_duration', {
      durationMs: rng.int(2000, 900_000),
    }),
  );
}

/**
 * Extra time after a request of a session meant to fill the range (single-file mode): the time
 * left shared by the requests still needed to reach the byte target.
 */
function spreadDelay(env: EmitEnv, clock: number, limit: number): number {
  if (env.spreadMs <= 0) return 0;
  const perRequest = env.counter.bytes / Math.max(1, env.truth.requests);
  const requestsLeft = Math.max(1, (env.stopBytes - env.counter.bytes) / Math.max(1, perRequest));
  return Math.max(0, Math.min(4 * env.spreadMs, ((limit - clock) / requestsLeft) * 0.8 - 45_000));
}
