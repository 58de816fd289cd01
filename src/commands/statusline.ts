import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveConfig, type GlobalFlags } from '../app/config.js';
import { recordOfficial } from '../app/official.js';
import { cachedLine, type LineQuery } from '../app/statusline-fast.js';
import { fileStamp } from '../store/side-files.js';
import { isFolder, specialFileKind } from '../store/folders.js';
import { appVersion } from '../app/version.js';
import { parseHookInput } from '../domain/official-limits.js';
import { globalOptionAsValue, parseGlobalFlags } from '../cli/global-flags.js';
import { writeStdout, type Write } from '../cli/stdout.js';

/** What the status line prints before there is any data: a hint, never an error. */
export const STATUSLINE_NO_STORE = 'creditmeter: no data yet · run `creditmeter` once';

/**
 * How long to wait for the hook's JSON on stdin. Claude Code writes it and closes the pipe, but on
 * a busy machine the write can come a few hundred milliseconds after the start; the input is read
 * as soon as it is a whole JSON object, so only a pipe nobody writes to or closes waits this long.
 */
const STDIN_TIMEOUT_MS = 2000;
const STDIN_MAX_BYTES = 1 << 20;

/** Whether `chunks` hold a whole JSON object (tested only when they end with `}`). */
function wholeObject(chunks: Buffer[]): boolean {
  const last = chunks[chunks.length - 1]!;
  let i = last.length - 1;
  while (i >= 0 && (last[i] === 0x20 || last[i] === 0x0a || last[i] === 0x0d || last[i] === 0x09)) i--;
  if (i < 0 || last[i] !== 0x7d) return false;
  try {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads stdin when it is a pipe: up to its end, or up to a whole JSON object when the writer keeps
 * the pipe open, giving up after `timeoutMs` (a pipe nobody closes must not hang the prompt).
 */
export function readStdin(stream: NodeJS.ReadStream, timeoutMs: number): Promise<string | null> {
  if (stream.isTTY) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (value: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.pause();
      stream.unref?.();
      resolve(value);
    };
    const text = (): string => Buffer.concat(chunks).toString('utf8');
    const timer = setTimeout(() => finish(chunks.length > 0 ? text() : null), timeoutMs);
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > STDIN_MAX_BYTES) finish(null);
      else {
        chunks.push(chunk);
        if (wholeObject(chunks)) finish(text());
      }
    });
    stream.once('end', () => finish(text()));
    stream.once('error', () => finish(null));
  });
}

/** The session transcript named by the hook, when it is an existing `.jsonl` file. */
export function transcriptToTail(raw: string | null): string | null {
  return existingTranscript(parseHookInput(raw).transcriptPath);
}

function existingTranscript(path: string | null): string | null {
  if (path === null || !path.endsWith('.jsonl')) return null;
  try {
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/**
 * Computes the status line. Never throws: any problem becomes a short line, because a status
 * line must not break the prompt. When nothing changed since the session's last line, that line
 * is printed again without opening the store; the heavy modules load only when it is redrawn.
 */
export async function statusLine(
  flags: GlobalFlags,
  stdin: NodeJS.ReadStream,
  env: NodeJS.ProcessEnv,
  nowMs = Date.now(),
): Promise<string> {
  const input = readStdin(stdin, STDIN_TIMEOUT_MS);
  try {
    const config = resolveConfig(flags, env);
    if (config.dbPath !== ':memory:' && !existsSync(config.dbPath)) {
      // A chosen store in a folder that is not there is a mistyped path, which no run of creditmeter mends.
      const folder = resolve(dirname(config.dbPath));
      if (config.dbChosenBy !== null && !isFolder(folder))
        return `creditmeter: no folder ${folder} for the database (from ${config.dbChosenBy})`;
      return STATUSLINE_NO_STORE;
    }
    // A device or a pipe is no store, and nothing is written beside it (/dev/null-official.json).
    const special = config.dbPath === ':memory:' ? null : specialFileKind(config.dbPath);
    if (special !== null) return `creditmeter: the database path ${config.dbPath} is ${special}, not a file`;
    const hook = parseHookInput(await input);
    // What Claude Code alone knows (its own session cost, the 5-hour and 7-day windows) is kept first.
    const official = recordOfficial(config.dbPath, hook, nowMs);
    const color = !env.NO_COLOR && env.FORCE_COLOR !== '0';
    const transcript = existingTranscript(hook.transcriptPath);
    const query: LineQuery = {
      dbPath: config.dbPath,
      // Every setting the line rests on: the plan, the prices, the roots read and the classes.
      key: JSON.stringify([
        config.plan,
        config.pricesPath,
        fileStamp(config.pricesPath),
        config.roots,
        config.classes,
        appVersion(),
      ]),
      session: hook.sessionId ?? '',
      transcript,
      color,
      // The session's cost and the windows as Claude Code last told them: a new figure redraws.
      official: JSON.stringify([
        hook.sessionId === null ? null : (official.sessions[hook.sessionId]?.costUsd ?? null),
        official.fiveHour && [official.fiveHour.usedPercentage, official.fiveHour.resetsAt],
        official.sevenDay && [official.sevenDay.usedPercentage, official.sevenDay.resetsAt],
      ]),
      nowMs,
    };
    const cached = cachedLine(query);
    if (cached !== null) return cached;
    // The store is opened only now: the drawing code loads on a miss alone.
    const { drawStatusLine } = await import('./statusline-draw.js');
    return await drawStatusLine(flags, hook, query, nowMs);
  } catch (err) {
    return problemLine(err, flags.db !== undefined ? '--db' : env.CREDITMETER_DB ? '$CREDITMETER_DB' : null);
  }
}

/**
 * A problem as the status line shows it: its first line, within 100 characters. A store damaged
 * past reading says what mends it (the message SQLite gives does not, and the line has no room for
 * the commands' sentence).
 */
function problemLine(err: unknown, storeFrom: '--db' | '$CREDITMETER_DB' | null = null): string {
  const code = (err as { code?: unknown } | null)?.code;
  const text = typeof err === 'string' ? err : String((err as Error | null)?.message ?? err);
  // SQLite's own error, or the store's sentence that names --rebuild (longer than the line).
  const damaged =
    typeof code === 'string'
      ? code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')
      : /run with --rebuild/.test(text);
  // A store named by --db (or the environment) is the one to rebuild: said, so the default is not rebuilt instead.
  if (damaged)
    return `creditmeter: the store is damaged · run \`creditmeter status --rebuild\`${storeFrom === null ? '' : ` with the same ${storeFrom}`}`;
  const message = text.split('\n')[0] ?? 'error';
  return `creditmeter: ${message.length > 100 ? `${message.slice(0, 99)}…` : message}`;
}

/**
 * `creditmeter statusline ...` without loading the full program (the entry point calls this when
 * argv names the statusline command without asking for help): Claude Code runs it on every prompt.
 */
export async function statuslineMain(argv: string[], write: Write = writeStdout): Promise<number> {
  // Global flags may stand before or after the command word.
  const args = argv.slice(2);
  args.splice(args.indexOf('statusline'), 1);
  const noValue = globalOptionAsValue(args);
  const line =
    noValue !== null ? problemLine(noValue) : await statusLine(parseGlobalFlags(args), process.stdin, process.env);
  write(`${line}\n`);
  return 0;
}

/** `creditmeter statusline`: one short line for Claude Code's status-line hook; always exits 0. */
export function registerStatusline(program: Command): void {
  program
    .command('statusline')
    .description("print one short credit line for Claude Code's status-line hook (reads the hook's JSON on stdin)")
    .action(async (_opts: unknown, cmd: Command) => {
      writeStdout(`${await statusLine(cmd.optsWithGlobals<GlobalFlags>(), process.stdin, process.env)}\n`);
    });
}
