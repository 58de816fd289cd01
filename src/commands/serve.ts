import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutText, refusedText } from '../domain/telemetry.js';
import type { AcceptTotals } from '../receiver/accept.js';
import { countOf, formatInt } from '../domain/format.js';
import { UsageError, type GlobalFlags } from '../app/config.js';
import { openApp } from '../app/context.js';
import {
  checkExposure,
  DEFAULT_LISTEN,
  isLoopback,
  listenFailure,
  parseListen,
  readTls,
  readToken,
} from '../app/listen.js';
import { receiveInto, type RequestRefusals } from '../app/receive.js';
import { wrapText } from '../output/wrap.js';
import { escapeControls } from '../domain/escape-controls.js';
import { lastingStdout, terminalColumns } from '../cli/stdout.js';
import { throttle } from '../state/throttle.js';
import { catchUp, noProjectsWarning, projectsBackNotice } from '../ingest/pipeline.js';
import { watchRoots, type RootWatcher } from '../ingest/watcher.js';
import { watchLimitNotice } from '../ingest/poll.js';
import { StoreError } from '../store/database.js';

interface ServeFlags {
  listen?: string;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  maxBodyMb?: string;
}

/** How often the running totals are printed while events arrive. */
const REPORT_EVERY_MS = 10_000;

/**
 * `creditmeter serve`: an OTLP receiver (HTTP or gRPC) for Claude Code's telemetry on the store, plus the
 * watcher over the local transcripts, so one process keeps a team's store. Prints the endpoint once
 * it accepts connections; SIGINT/SIGTERM finish the request in flight and exit 0.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      "receive Claude Code's OpenTelemetry events (OTLP over HTTP or gRPC) from every machine into the store",
    )
    .option('--listen <host:port>', `address to listen on (default ${DEFAULT_LISTEN})`)
    .option('--token-file <file>', 'require this bearer token (default $CREDITMETER_TOKEN); needed off loopback')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'and this private key (PEM)')
    .option('--max-body-mb <n>', 'largest request body accepted, before and after decompression (default 16)')
    .action(async (flags: ServeFlags, cmd: Command) => {
      const address = parseListen(flags.listen ?? DEFAULT_LISTEN);
      const token = readToken(flags.tokenFile);
      checkExposure(address, token);
      const tls = readTls(flags.tlsCert, flags.tlsKey);
      const maxBodyBytes = parseMaxBody(flags.maxBodyMb);
      const ctx = openApp(cmd.optsWithGlobals<GlobalFlags & { rebuild?: boolean }>());
      // Its output may be piped to a reader that goes away: the receiver goes on without it.
      const out = lastingStdout();
      let watcher: RootWatcher | null = null;
      try {
        // At most one line per interval, and the last batches of a burst are reported at its end
        // (a line printed at the first batch would otherwise stand until the next burst).
        // Whole requests refused (a wrong token, a wrong path, a bad body) are said too: a sender set
        // up wrong loses every event, and this terminal is where it must show.
        let totals: AcceptTotals | null = null;
        let refusals: RequestRefusals | null = null;
        let saidRefusals: string | null = null;
        let saidUnused = false;
        let logsSeen = false;
        let unusedPath: string | null = null;
        const sayUnused = (): void => {
          if (saidUnused || logsSeen || unusedPath === null) return;
          saidUnused = true;
          const what = /trace/i.test(unusedPath) ? 'traces' : 'metrics';
          say(
            `creditmeter: ${what} came, but no log event: creditmeter reads each request's cost from the log events. Set OTEL_LOGS_EXPORTER=otlp on the senders (their ${what} may stay on).`,
          );
        };
        // Progress lines break between words on a terminal (the settings to paste never do).
        const say = (line: string): void => {
          out(`${wrapText(line, terminalColumns())}\n`);
        };
        const report = throttle(() => {
          const t = totals;
          if (t !== null)
            say(`creditmeter: ${received(t)}; ${countOf(t.ignored, 'other event')} ignored, ${refusedEvents(t)}`);
        }, REPORT_EVERY_MS);
        // Refused requests on a clock of their own: the first one is said at once, even just after a
        // progress line, and then at most every 10 s; again only when the line changed.
        const reportRefused = throttle(() => {
          const refused = refusals?.line() ?? null;
          if (refused !== null && refused !== saidRefusals) say(`creditmeter: ${refused}`);
          saidRefusals = refused;
        }, REPORT_EVERY_MS);
        const handle = await receiveInto(ctx, {
          address,
          token,
          tls,
          maxBodyBytes,
          onBatch: (t) => {
            totals = t;
            logsSeen = true;
            report.request();
          },
          onRefused: (r) => {
            refusals = r;
            reportRefused.request();
          },
          // A sender set up for metrics alone sends no log event: said once, with the setting, when
          // none came a minute after the first metrics (Claude Code sends logs every few seconds).
          onUnused: (path) => {
            if (unusedPath !== null) return;
            unusedPath = path;
            setTimeout(sayUnused, UNUSED_WAIT_MS).unref();
          },
        }).catch((err: NodeJS.ErrnoException) => {
          const why = listenFailure(address, err);
          if (why !== null) throw new StoreError(why);
          throw err;
        });
        const url = handle.receiver.url;
        // One write: the endpoint line, a sentence wrapped like the others, then the settings to paste whole.
        const receiving = `creditmeter: receiving OpenTelemetry on ${url}/v1/logs${token ? ' (bearer token required)' : ''}`;
        out(`${wrapText(receiving, terminalColumns())}\n${senderSettings(url, token !== null, address.host)}`);
        const stopped = new Promise<string>((resolve) => {
          process.once('SIGINT', () => resolve('SIGINT'));
          process.once('SIGTERM', () => resolve('SIGTERM'));
        });
        // The local transcripts too: a catch-up, then the watcher (a failure is a warning, never a stop).
        // Out of watches or descriptors, they are caught up every few seconds instead.
        if (ctx.config.roots.length > 0) {
          try {
            // The roots without a projects folder at the start are said now, and again once it comes.
            let empty: string[] = [];
            const first = await catchUp(ctx, {
              onDiscovered: (found) => {
                empty = found.emptyRoots.map((r) => resolve(r));
              },
            });
            // What the first read found wrong (no projects folder, folders that could not be read).
            for (const w of first.warnings) say(`creditmeter: ${escapeControls(w)}`);
            let limitSaid = false;
            watcher = await watchRoots(ctx, warnOnFailure(), {
              // A root or its projects folder that goes while watched is said, and again when it is back.
              onEmptyRoots: (now) => {
                for (const r of now) if (!empty.includes(r)) say(`creditmeter: ${noProjectsWarning(r)}`);
                for (const r of empty) if (!now.includes(r)) say(`creditmeter: ${projectsBackNotice(r)}`);
                empty = now;
              },
              onPolling: (code) => {
                if (limitSaid) return;
                limitSaid = true;
                const notice = watchLimitNotice(code);
                say(`creditmeter: ${notice.charAt(0).toLowerCase()}${notice.slice(1)}`);
              },
            });
          } catch (err) {
            process.stderr.write(`creditmeter: reading the local transcripts failed: ${(err as Error).message}\n`);
          }
        }
        const signal = await stopped;
        await watcher?.close();
        watcher = null;
        await handle.close();
        // The stop line has the totals: a pending report would only repeat them. Refusals since the
        // last line are said whole first, so the terminal ends with every cause and its fix.
        report.cancel();
        reportRefused.cancel();
        sayUnused();
        const refusedLine = handle.refusals.line();
        if (refusedLine !== null && refusedLine !== saidRefusals) say(`creditmeter: ${refusedLine}`);
        const refused = handle.refusals.total > 0 ? `; ${countOf(handle.refusals.total, 'HTTP request')} refused` : '';
        const events = handle.totals.rejected > 0 ? `; ${refusedEvents(handle.totals)}` : '';
        say(`creditmeter: stopped on ${signal}; ${received(handle.totals)}${events}${refused}`);
      } finally {
        await watcher?.close();
        ctx.close();
      }
    });
}

/**
 * What the watcher hears after each read of the local transcripts: a failure is a warning, said
 * again only when it changes (the next change or catch-up tries again).
 */
function warnOnFailure(): (s: unknown, failure: unknown) => void {
  let said: string | null = null;
  return (_s, failure) => {
    if (failure === null) {
      said = null;
      return;
    }
    const line = `creditmeter: reading the local transcripts failed: ${(failure as Error).message}`;
    if (line !== said) process.stderr.write(`${line}\n`);
    said = line;
  };
}

/** What each machine running Claude Code sets to send here, ready to paste into a shell. */
export function senderSettings(url: string, withToken: boolean, host: string): string {
  // A wildcard address is not one a sender can reach: it names this machine's own addresses.
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  const endpoint = wildcard ? url.replace(/\/\/(\[::\]|0\.0\.0\.0)/, '//<this machine>') : url;
  // On a loopback address only this machine can send: said, with how to take the others.
  const lines = [
    ...(isLoopback(host)
      ? [
          `Only this machine reaches ${host}; for others: --listen 0.0.0.0:PORT --token-file FILE.`,
          'On this machine, set (grpc and http/json work too):',
        ]
      : ['On each machine running Claude Code, set (grpc and http/json work too):']),
    '  export CLAUDE_CODE_ENABLE_TELEMETRY=1',
    '  export OTEL_LOGS_EXPORTER=otlp',
    '  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    `  export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
  ];
  if (withToken) lines.push('  export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <the token>"');
  return `${lines.join('\n')}\n`;
}

/** How long after the first metrics `serve` waits for a log event before it says none came. */
const UNUSED_WAIT_MS = 60_000;

function parseMaxBody(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 1024)
    throw new UsageError(`--max-body-mb ${text} is not a size in MiB (more than 0, at most 1024).`);
  return Math.round(n * 1024 * 1024);
}

/**
 * `12 request events received in 2 batches`, and when some were known already (a batch sent
 * again, a request pushed too) how many were new: `(12,000 new, 744,000 already known)`; names
 * kept cut, when any: `; 2 name(s) over 512 characters kept cut in received events: 2 workflow.name`.
 */
function received(t: AcceptTotals): string {
  const known = t.events - t.added;
  const split = known > 0 ? ` (${formatInt(t.added)} new, ${formatInt(known)} already known)` : '';
  const cut = Object.keys(t.cutBy).length > 0 ? `; ${cutText(t.cutBy)}` : '';
  return `${countOf(t.events, 'request event')} received in ${countOf(t.batches, 'batch', 'batches')}${split}${cut}`;
}

/** `0 refused`, or `17 refused: 9 with token counts that are no counts, or over 100 million (bad-usage), …`. */
function refusedEvents(t: AcceptTotals): string {
  return t.rejected === 0 ? '0 refused' : `${formatInt(t.rejected)} refused: ${refusedText(t.rejectedBy)}`;
}
