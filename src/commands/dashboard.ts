import { passOverGoneOutput, terminalColumns, writeStdout } from '../cli/stdout.js';
import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolders } from '../store/folders.js';
import { resolveConfig, UsageError, type GlobalFlags } from '../app/config.js';
import { checkExposure, listenFailure, parseListen, readTls, readToken } from '../app/listen.js';
import type { ReceiveHandle, ReceiveOptions } from '../app/receive.js';
import { openApp, type AppContext } from '../app/context.js';
import { nothingOfTheUsers, watchForFirstTranscript } from '../app/first-run.js';
import { officialSideFiles, readOfficial } from '../app/official.js';
import { followSettings } from '../app/follow-settings.js';
import { priceBreakdown } from '../domain/pricing.js';
import { useColor } from '../cli/colour.js';
import type { LiveHandle } from '../state/live.js';
import { throttle, type Throttled } from '../state/throttle.js';
import { describeFailure } from '../state/busy.js';
import {
  autoDemoNotice,
  defaultRoots,
  demoNotice,
  noTranscriptsLines,
  transcriptsAppearedNotice,
} from '../ui/messages.js';

type DashboardFlags = GlobalFlags & {
  demo?: boolean;
  rebuild?: boolean;
  listen?: string;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
};

/** The receiver to run inside the dashboard (`--listen`), validated before anything is drawn. */
function receiverOptions(flags: DashboardFlags): Omit<ReceiveOptions, 'onBatch'> | null {
  if (flags.listen === undefined) {
    const without = [flags.tokenFile && '--token-file', flags.tlsCert && '--tls-cert', flags.tlsKey && '--tls-key'];
    const given = without.filter((f): f is string => typeof f === 'string');
    if (given.length > 0)
      throw new UsageError(`${given.join(', ')} applies with --listen (the dashboard receives telemetry only then).`);
    return null;
  }
  const address = parseListen(flags.listen);
  const token = readToken(flags.tokenFile);
  checkExposure(address, token);
  return { address, token, tls: readTls(flags.tlsCert, flags.tlsKey) };
}

/** The default command: the live dashboard on a terminal, the status summary otherwise. */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard', { isDefault: true })
    .description(
      'live dashboard of the credit (the default: `creditmeter --demo` and `creditmeter --listen HOST:PORT` take its options); prints the status summary when stdout is not a terminal',
    )
    .option('--demo', 'open the bundled demo history (in a temporary database: your own store is untouched)')
    .option('--listen <host:port>', "also receive Claude Code's OpenTelemetry here, as `serve` does")
    .option('--token-file <file>', 'with --listen: require this bearer token (default $CREDITMETER_TOKEN)')
    .option('--tls-cert <file>', 'with --listen: serve HTTPS with this certificate')
    .option('--tls-key <file>', 'with --listen: and this private key')
    .action(async (_opts: unknown, cmd: Command) => {
      await runDashboard(cmd.optsWithGlobals<DashboardFlags>());
    });
}

interface DemoSetup {
  flags: DashboardFlags;
  /** Where the demo's exports go: a temporary folder, never the user's export folder. */
  exportDir: string;
  cleanup(): void;
}

/** Points the flags at the demo history and a throw-away database. */
async function demoSetup(flags: DashboardFlags): Promise<DemoSetup> {
  // The demo generator loads only for the demo.
  const { ensureDemoRoot, userTempDir } = await import('../demo/index.js');
  const root = await ensureDemoRoot(Date.now());
  const dir = mkdtempSync(join(tmpdir(), 'creditmeter-demo-db-'));
  // The demo history is a heavy automation user on Max 5x: gauge it against that plan unless the
  // user named one (an assumed Pro plan would read as 400% used).
  const plan = resolveConfig(flags).plan.assumed ? { plan: 'max5x' } : {};
  const exportDir = userTempDir('creditmeter-demo-exports');
  makeFolders(exportDir);
  return {
    flags: { ...flags, ...plan, claudeDir: [root], db: join(dir, 'demo.db') },
    exportDir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Signals that end the process: the demo cleans up, then the process ends as the signal would. */
const ENDING_SIGNALS = ['SIGHUP', 'SIGTERM'] as const;

/**
 * Removes the demo's database when one of ENDING_SIGNALS arrives, then sends the signal again, so
 * the process ends by it as the ordinary dashboard does (exit status 128 + its number); returns
 * what undoes that. Not `process.exit`: after SIGHUP the terminal is gone, and Node's exit restores
 * the terminal's modes and aborts when that fails.
 */
function demoOnSignals(demo: DemoSetup): () => void {
  const handlers = ENDING_SIGNALS.map((signal) => {
    const handler = (): void => {
      try {
        demo.cleanup();
      } catch {
        // An open database cannot be removed everywhere (Windows): the process ends all the same.
      }
      // This handler is gone by now (`once`): Ink's handler restores the screen and ends the
      // process by the signal, or, without it, the signal's default action does.
      process.kill(process.pid, signal);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/**
 * Runs the dashboard. On a terminal: opens the store, draws, catches up with progress, then
 * follows the logs until `q`. Otherwise: catches up, prints the status summary, exits 0.
 */
export async function runDashboard(input: DashboardFlags): Promise<void> {
  const tty = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  const receive = receiverOptions(input);
  if (receive !== null && !tty)
    throw new UsageError(
      '--listen runs inside the live dashboard, which needs a terminal; use `creditmeter serve` instead.',
    );
  let flags = input;
  let demo: DemoSetup | null = null;
  let notice: string | null = null;
  /** The folders where the user's first transcript would appear, while the demo stands in for it. */
  let awaiting: string[] = [];
  if (flags.demo) {
    demo = await demoSetup(flags);
    notice = demoNotice();
  } else {
    // `npm start` on a machine without Claude Code logs: show the demo rather than an empty screen
    // (on a terminal, and as the printed summary otherwise), and say so. Not with --listen: the
    // events it receives belong in the user's store.
    if (receive === null && nothingOfTheUsers(resolveConfig(flags), flags.db)) {
      demo = await demoSetup(flags);
      notice = autoDemoNotice();
      awaiting = defaultRoots();
    }
  }
  if (demo) flags = demo.flags;
  // Once the terminal is gone (its window closed: SIGHUP), the screen's last writes (showing the
  // cursor again as Ink unmounts) fail with EIO: passed over, so the process ends by the signal.
  if (tty) passOverGoneOutput();
  // The demo's throw-away database goes with the process also when its terminal closes (SIGHUP) or
  // it is told to end (SIGTERM), not only on q or Ctrl-C.
  const endDemo = demo === null ? null : demoOnSignals(demo);
  let opened: AppContext;
  try {
    opened = openApp(flags);
  } catch (err) {
    endDemo?.();
    demo?.cleanup();
    throw err;
  }
  const ctx = demo ? { ...opened, config: { ...opened.config, exportDir: demo.exportDir } } : opened;
  let abandoned = false;
  try {
    if (tty) abandoned = await runLive(ctx, notice, receive, awaiting, flags);
    else await printSummary(ctx, notice);
  } finally {
    ctx.close();
    demo?.cleanup();
    endDemo?.();
  }
  // Quit during the initial catch-up: its reads cannot be cancelled, and every batch is its own
  // transaction, so the process ends here (after closing the store) and the next start continues
  // from the stored offsets.
  if (abandoned) process.exit(0);
}

async function printSummary(ctx: AppContext, notice: string | null): Promise<void> {
  const [{ catchUp }, { buildStatus, spendByWho }, { formatStatusText }, { cycleAt }] = await Promise.all([
    import('../ingest/pipeline.js'),
    import('../services/status.js'),
    import('../output/status-text.js'),
    import('../domain/cycle.js'),
  ]);
  const summary = await catchUp(ctx);
  if (summary.files === 0) process.stderr.write(`${noTranscriptsLines(ctx.config.roots).join('\n')}\n`);
  if (notice !== null) writeStdout(`${notice}\n`);
  const { plan } = ctx.config;
  const nowMs = Date.now();
  const report = buildStatus(ctx.db, plan, ctx.prices.version, nowMs);
  // The same summary as `status`: what the forecast rests on, who spent it (telemetry), and the
  // assumed plan when no config named one.
  writeStdout(
    formatStatusText(report, {
      color: useColor(process.stdout),
      assumed: plan.assumed,
      columns: terminalColumns(),
      attribution: spendByWho(ctx.db, plan, cycleAt(nowMs, plan.cycleStartDay, plan.tz), nowMs),
    }),
  );
}

async function runLive(
  ctx: AppContext,
  notice: string | null,
  receive: Omit<ReceiveOptions, 'onBatch'> | null,
  awaiting: readonly string[],
  flags: GlobalFlags,
): Promise<boolean> {
  // Ink draws only the last frame when CI or CONTINUOUS_INTEGRATION is set (it reads them once, as
  // it loads). This is a live view on a real terminal, so it must draw: mask them before Ink loads.
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (process.env[key] !== undefined) process.env[key] = '0';
  // The UI modules (Ink, React) load only for the live view: the printed summary does not need them.
  // What the first frame does not need (the watcher and reader, the exporter) loads after it.
  const [{ createDashboardStore }, { createDbSource }, { mountDashboard }, { colorEnabled }] = await Promise.all([
    import('../state/app-store.js'),
    import('../state/data-source.js'),
    // Ink's layout engine compiles its WebAssembly synchronously in the binary (scripts/bundle.mjs).
    import('../ui/mount.js'),
    import('../ui/theme.js'),
  ]);
  /** The first read's failure, when it failed for another reason than a busy store. */
  const first: { failure: Error | null } = { failure: null };
  const store = createDashboardStore({
    source: createDbSource(ctx.db, ctx.config.plan, () => ctx.prices.version, {
      official: () => readOfficial(ctx.config.dbPath),
      breakdown: (r) =>
        priceBreakdown(ctx.prices, {
          model: r.model,
          ts: r.ts,
          usage: r.usage,
          speed: r.speed,
          inferenceGeo: r.inferenceGeo,
        }),
    }),
    bell: ctx.config.bell,
    ring: () => process.stdout.write('\u0007'),
    exporter: async (req) => (await import('../app/export.js')).snapshotExporter(ctx)(req),
    // The screen appears before the forecast's simulation has run; the forecast follows at once.
    deferFirstForecast: true,
    onReadFailure: (err) => (first.failure ??= err instanceof Error ? err : new Error('The store could not be read.')),
  });
  // The first read failed (a damaged store, a disk error): nothing can be drawn, and waiting would
  // change nothing. Said and ended as every command does (a busy store is waited for instead).
  if (store.getState().status === null && first.failure !== null) {
    store.getState().actions.dispose();
    throw first.failure;
  }
  const { actions } = store.getState();
  actions.setDemoNotice(notice);
  // The demo stands in for the user's history: say so when the first transcript of theirs appears.
  const stopAwaiting =
    awaiting.length > 0
      ? watchForFirstTranscript(awaiting, (root) => actions.setDemoNotice(transcriptsAppearedNotice(root)))
      : null;
  quietCursorOnStderr();
  const app = mountDashboard(store, {
    stdout: process.stdout,
    stdin: process.stdin,
    color: colorEnabled(),
    // Asked at each draw: a `config set plan` while the view runs ends the hint (app/follow-settings.ts).
    planAssumed: () => ctx.config.plan.assumed,
    alternateScreen: process.env.CREDITMETER_NO_ALT_SCREEN === undefined,
  });
  let receiver: ReceiveHandle | null = null;
  let refusedNotice: Throttled | null = null;
  if (receive !== null) {
    try {
      // The receiver (HTTP, protobuf) loads only when asked for.
      const { receiveInto } = await import('../app/receive.js');
      // Whole requests refused (a sender's wrong token or path) show in the footer, once a second at most.
      let refused = '';
      const say = throttle(() => actions.showNotice(refused, true), 1000);
      refusedNotice = say;
      receiver = await receiveInto(ctx, {
        ...receive,
        onBatch: () => actions.requestRefresh(),
        onRefused: (refusals) => {
          refused = refusals.line() ?? '';
          say.request();
        },
      });
      actions.showNotice(`Receiving OpenTelemetry on ${receiver.receiver.url}/v1/logs`, true);
      actions.setReceivingOn(`${receiver.receiver.url}/v1/logs`);
    } catch (err) {
      actions.showNotice(
        listenFailure(receive.address, err) ??
          `Cannot listen on ${receive.address.host}:${receive.address.port}: ${(err as Error).message}`,
        true,
      );
    }
  }
  let live: LiveHandle | null = null;
  // The config file and the price file are followed while the view runs (app/follow-settings.ts).
  const settings = followSettings(ctx, flags);
  let settingsTimer: NodeJS.Timeout | undefined;
  const started = import('../state/live.js')
    // Rate limits the status line records from Claude Code show at once, not at the next minute.
    .then(({ startLive }) => startLive(ctx, store, { sideFiles: officialSideFiles(ctx.config.dbPath) }))
    .then(
      (handle) => {
        live = handle;
        settingsTimer = setInterval(() => {
          const change = settings.check();
          if (change?.classes) handle.readAgain();
          else if (change?.figures) actions.requestRefresh();
        }, SETTINGS_CHECK_MS);
        settingsTimer.unref();
      },
      (err: unknown) => {
        actions.endCatchUp();
        actions.showNotice(`Reading the logs failed: ${describeFailure(err)}`, true);
      },
    );
  await app.waitUntilExit();
  clearInterval(settingsTimer);
  stopAwaiting?.();
  refusedNotice?.cancel();
  await receiver?.close();
  actions.dispose();
  const settled = await Promise.race([
    started.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 300)),
  ]);
  // Still catching up: the caller closes the store and ends the process.
  if (!settled) return true;
  await (live as LiveHandle | null)?.close();
  return false;
}

/** How often the dashboard looks at its config and price files (a stat of each). */
const SETTINGS_CHECK_MS = 2000;

/** What restore-cursor writes to stderr at exit to show the cursor again. */
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Ink hides the cursor on the terminal (stdout) and shows it there again at unmount; its helper
 * also writes the same sequence to stderr as the process exits, which lands in a file that
 * `2>log` names. Dropped where stderr is no terminal.
 */
function quietCursorOnStderr(): void {
  if (process.stderr.isTTY) return;
  const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
  process.stderr.write = (chunk: unknown, ...rest: unknown[]) => (chunk === SHOW_CURSOR ? true : write(chunk, ...rest));
}
