/**
 * Tool calls of a thread: progress lines while a tool runs, then the user line with its result,
 * sized by the run's content factor (a rare result of several MB).
 */
import type { EmitEnv } from './emit-env.js';
import { progressLine, toolResultLine } from './lines.js';
import type { Rng } from './prng.js';
import type { RequestFlags, Thread } from './request.js';
import { filler } from './text.js';

/** Size of a tool result: log-normal around a few KB, with a rare multi-MB output. */
export function toolResultSize(rng: Rng, env: EmitEnv, median: number): number {
  const huge = rng.chance(0.0005);
  const size = huge ? rng.int(1 << 20, 5 << 20) * Math.min(1, env.pad) : rng.logNormal(median * env.pad, 1.1);
  return Math.max(1, Math.min(env.maxToolResult, Math.round(size)));
}

/** Runs a tool: progress lines while it works, then the user line with its result. */
export function toolResult(
  rng: Rng,
  thread: Thread,
  toolUseId: string,
  sourceUuid: string,
  tool: RequestFlags['tool'],
  env: EmitEnv,
  median = 3800,
): void {
  const ctx = thread.ctx;
  if (tool === 'Bash' && ctx.f.hookProgress) {
    for (let i = rng.int(1, 4); i > 0; i--) {
      const out = filler(rng, rng.logNormal(1600 * env.pad, 0.8));
      thread.clock += rng.int(500, 5000);
      thread.sink.write(
        progressLine(
          ctx,
          thread.lastUuid,
          rng.uuid(),
          thread.clock,
          {
            type: 'bash_progress',
            output: out,
            fullOutput: out,
            elapsedTimeSeconds: rng.int(1, 60),
            totalLines: rng.int(1, 400),
            timeoutMs: 120000,
          },
          `bash-progress-${i}`,
          toolUseId,
        ),
      );
    }
  }
  thread.clock += rng.int(100, 20_000);
  const uuid = rng.uuid();
  thread.sink.write(
    toolResultLine(
      ctx,
      thread.lastUuid ?? sourceUuid,
      uuid,
      thread.clock,
      toolUseId,
      filler(rng, toolResultSize(rng, env, median)),
      sourceUuid,
    ),
  );
  if (ctx.f.hookProgress && thread.hooks > 0) {
    // Users with hooks see one progress line per hook and event, before and after each tool.
    for (let i = thread.hooks; i > 0; i--) {
      for (const event of ['PreToolUse', 'PostToolUse']) {
        thread.sink.write(
          progressLine(
            ctx,
            uuid,
            rng.uuid(),
            thread.clock + i,
            {
              type: 'hook_progress',
              hookEvent: event,
              hookName: `${event}:${tool ?? 'Tool'}`,
              command: `\${CLAUDE_PLUGIN_ROOT}/hooks/${event === 'PreToolUse' ? 'pre' : 'post'}-tool-use-${i}.sh`,
            },
            rng.uuid(),
            toolUseId,
          ),
        );
      }
    }
  }
  thread.lastUuid = uuid;
  thread.pending += Math.round(rng.logNormal(1400, 1));
}
