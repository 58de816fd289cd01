import type { Command } from 'commander';
import { countOf, formatInt } from '../domain/format.js';
import { errorText, terminalColumns, writeStdout } from '../cli/stdout.js';
import { wrapText } from '../output/wrap.js';
import type { GlobalFlags } from '../app/config.js';
import { UsageError } from '../app/config.js';
import { openApp } from '../app/context.js';
import { readToken } from '../app/listen.js';
import { logsUrl, pushRequests } from '../app/push.js';
import { catchUp } from '../ingest/pipeline.js';

/**
 * `creditmeter push --to URL`: backfills another store (or any OTLP endpoint) with the requests
 * this one read from transcripts, each once. Exit 1 when the endpoint failed (what it acknowledged
 * stays sent; the next run resends the rest).
 */
export function registerPush(program: Command): void {
  program
    .command('push')
    .description('send the requests read from local transcripts to a creditmeter serve (or OTLP) endpoint, once each')
    .requiredOption('--to <url>', 'the endpoint, e.g. https://meter.example.org:4318')
    .option('--token-file <file>', 'bearer token for the endpoint (default $CREDITMETER_TOKEN)')
    .option('--again', 'send every request again, also those the endpoint took before (a store made anew there)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: { to: string; tokenFile?: string; again?: boolean; json?: boolean }, cmd: Command) => {
      try {
        const u = new URL(logsUrl(flags.to));
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      } catch {
        throw new UsageError(`--to ${JSON.stringify(flags.to)} is not an http(s) URL.`);
      }
      const token = readToken(flags.tokenFile);
      const ctx = openApp(cmd.optsWithGlobals<GlobalFlags & { rebuild?: boolean }>());
      try {
        await catchUp(ctx);
        const r = await pushRequests(ctx.db, { to: flags.to, token, again: flags.again === true });
        if (flags.json) writeStdout(`${JSON.stringify(r)}\n`);
        else {
          const before = `${formatInt(r.alreadySent)} ${r.alreadySent === 1 ? 'was sent before as it is' : 'were sent before as they are'} now`;
          const sent =
            r.sent === 0 && r.error === null
              ? `creditmeter: nothing new to send to ${r.target}; ${before}` +
                (r.alreadySent > 0 ? ' (a store made anew there gets them all with push --again)' : '')
              : `creditmeter: sent ${countOf(r.sent, 'request')} to ${r.target} in ${countOf(r.batches, 'batch', 'batches')}` +
                `${r.rejected > 0 ? `, ${formatInt(r.rejected)} refused by it` : ''}; ${before}`;
          // A push that stopped before it sent anything says only why (a line of "sent 0" read as success).
          if (r.sent > 0 || r.error === null) writeStdout(`${wrapText(sent, terminalColumns())}\n`);
          if (r.error) {
            // What to do next depends on why it stopped: a token is fixed, not retried.
            const next =
              r.status === 401 || r.status === 403
                ? token === null
                  ? 'no token was given: pass the one serve uses with --token-file or CREDITMETER_TOKEN, then run it again'
                  : 'check the token (--token-file or CREDITMETER_TOKEN), then run it again'
                : r.status === 404 || r.status === 405
                  ? 'give --to the address serve prints (http://HOST:PORT; push adds /v1/logs), then run it again'
                  : r.status !== null && r.status >= 300 && r.status < 400
                    ? 'give --to the address it redirects to, then run it again'
                    : 'run it again to send the rest';
            process.stderr.write(errorText(`creditmeter: push stopped: ${r.error}; ${next}.`));
          }
        }
        // Requests the endpoint refused are not in its store: said, and the push fails (exit 1).
        if (r.rejected > 0 && !flags.json)
          process.stderr.write(
            errorText(
              `creditmeter: ${countOf(r.rejected, 'request')} ${r.rejected === 1 ? 'was' : 'were'} refused by ${r.target}${r.rejectedWhy === null ? '' : ` (${r.rejectedWhy})`}: they stay in this store only; serve's status says why it refuses each kind.`,
            ),
          );
        if (r.error || r.rejected > 0) process.exitCode = 1;
      } finally {
        ctx.close();
      }
    });
}
