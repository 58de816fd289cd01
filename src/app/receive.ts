/**
 * One receiver on the app's store: decoded batches go through the telemetry writer (priced with
 * the table in use, classed with the config's mapping), refusals are counted in the store.
 */
import type { AppContext } from './context.js';
import { priceRequest } from '../domain/pricing.js';
import { countOf, formatInt } from '../domain/format.js';
import { HTTP_REFUSAL_CAUSES, MISDIRECTED } from '../domain/telemetry.js';
import { acceptInto, type AcceptTotals } from '../receiver/accept.js';
import { DEFAULT_MAX_BODY, NOT_HTTP, startReceiver, type Receiver, type RequestReport } from '../receiver/server.js';
import { isBusySentence, withoutWaiting } from '../store/database.js';
import { addTelemetryCount, TelemetryWriter } from '../store/telemetry-writer.js';
import type { ListenAddress } from './listen.js';
import { sanitizeCell } from '../output/table.js';

export interface ReceiveOptions {
  address: ListenAddress;
  token: string | null;
  tls: { cert: Buffer; key: Buffer } | null;
  maxBodyBytes?: number;
  /** Called after each batch is committed (e.g. to refresh a dashboard). */
  onBatch?(totals: AcceptTotals): void;
  /** Called after a whole request was refused (a wrong token, a wrong path, a bad body). */
  onRefused?(refusals: RequestRefusals): void;
  /** Called when metrics or traces arrive (answered 200, not used: the cost is in the log events). */
  onUnused?(path: string): void;
}

export interface ReceiveHandle {
  receiver: Receiver;
  totals: AcceptTotals;
  refusals: RequestRefusals;
  /** Stops the receiver, then writes the refusal counts the store could not take yet. */
  close(): Promise<void>;
}

/** How often refusal counts the store could not take are tried again. */
const RETRY_COUNTS_MS = 2000;

/** Starts the receiver on `ctx.db`; resolves once it accepts connections. */
export async function receiveInto(ctx: AppContext, options: ReceiveOptions): Promise<ReceiveHandle> {
  const writer = new TelemetryWriter(ctx.db, {
    classes: ctx.config.classes,
    priceVersion: ctx.prices.version,
    price: (input) => priceRequest(ctx.prices, input),
  });
  const totals: AcceptTotals = { batches: 0, events: 0, added: 0, ignored: 0, rejected: 0, rejectedBy: {}, cutBy: {} };
  const refusals = new RequestRefusals();
  const accept = acceptInto(writer, totals);
  // Refusal counts the store could not take when they came (it was held: the 503s themselves)
  // wait here, and go in with the next write, or a retry every 2 s, or at the stop. Tried
  // without waiting for the lock: a receiver thread held 5 s for a count would answer no one.
  const unsaved = new Map<string, { n: number; lastMs: number }>();
  let retry: NodeJS.Timeout | null = null;
  const saveCounts = (wait = false): void => {
    if (unsaved.size === 0) return;
    const save = (): void =>
      ctx.db.transaction(() => {
        for (const [reason, { n, lastMs }] of unsaved) addTelemetryCount(ctx.db, reason, n, lastMs);
      })();
    try {
      if (wait) save();
      else withoutWaiting(ctx.db, save);
      unsaved.clear();
    } catch {
      // Still held: kept for the next try. A busy store must not turn a refusal into a crash.
    }
    // Tried again every 2 s while some wait, and no more once none do.
    if (unsaved.size > 0 && retry === null) {
      retry = setInterval(saveCounts, RETRY_COUNTS_MS);
      retry.unref();
    } else if (unsaved.size === 0 && retry !== null) {
      clearInterval(retry);
      retry = null;
    }
  };
  const receiver = await startReceiver({
    host: options.address.host,
    port: options.address.port,
    token: options.token,
    tls: options.tls,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    accept: (records) => {
      const result = accept(records);
      saveCounts();
      options.onBatch?.(totals);
      return result;
    },
    onRequest: (report) => {
      if (report.status === 200 && report.path !== '/v1/logs' && /metrics|trace/i.test(report.path))
        options.onUnused?.(report.path);
      // Refusals of a whole request are counted too (a wrong token, a bad body), never their content.
      if (!refusals.add(report)) return;
      const reason =
        report.status < 0 ? `tls:${-report.status}` : `http:${report.status}${report.misdirected ? MISDIRECTED : ''}`;
      unsaved.set(reason, { n: (unsaved.get(reason)?.n ?? 0) + 1, lastMs: Date.now() });
      saveCounts();
      options.onRefused?.(refusals);
    },
  });
  return {
    receiver,
    totals,
    refusals,
    close: async () => {
      await receiver.close();
      if (retry !== null) clearInterval(retry);
      retry = null;
      saveCounts(true);
    },
  };
}

/** Why a whole request was refused, as its sender's owner would fix it (by HTTP status, or NOT_HTTP). */
const REFUSAL_CAUSES: Readonly<Record<number, string>> = {
  [NOT_HTTP.tlsOnPlainPort]: 'TLS on this plain-HTTP port',
  [NOT_HTTP.plainOnTlsPort]: 'plain HTTP on this HTTPS port',
  [NOT_HTTP.handshakeFailed]: 'a failed TLS handshake',
  [NOT_HTTP.closedUnused]: 'a TLS connection closed before its first request',
  ...HTTP_REFUSAL_CAUSES,
};

/** Counts of whole requests refused, by cause, with the first unknown path seen. */
export class RequestRefusals {
  total = 0;
  private readonly byStatus = new Map<number, number>();
  private path: string | null = null;
  private handshake: string | null = null;

  /** The address the last request with a wrong token came from: the sender to fix. */
  private wrongToken: string | null = null;
  /** Why the store could not take a batch (503), when it was not another process's lock. */
  private storeFailed: string | null = null;
  private storeHeld = false;

  /**
   * Counts `r` when it was refused; whether it was. A store held by another process (503) is
   * counted too: an OTLP/HTTP sender retries, but the official gRPC exporter drops the batch.
   */
  add(r: RequestReport): boolean {
    if (r.status >= 0 && r.status < 400) return false;
    this.total++;
    this.byStatus.set(r.status, (this.byStatus.get(r.status) ?? 0) + 1);
    if (r.status === 401 && r.from !== undefined) this.wrongToken = r.from.slice(0, 60);
    if (r.status === 503) {
      if (r.reason === null || isBusySentence(r.reason)) this.storeHeld = true;
      else this.storeFailed ??= r.reason.slice(0, 200);
    }
    if (r.status === 404 && this.path === null) this.path = r.path.slice(0, 60);
    if (r.status === NOT_HTTP.handshakeFailed && this.handshake === null)
      this.handshake = (r.reason ?? '').slice(0, 80);
    return true;
  }

  /** `12 HTTP requests refused so far: 10 with a missing or wrong token (401), …`; null when none. */
  line(): string | null {
    if (this.total === 0) return null;
    const parts = [...this.byStatus]
      .sort((a, b) => b[1] - a[1])
      .map(([status, n]) => {
        const cause = REFUSAL_CAUSES[status] ?? 'an error';
        if (status < 0) {
          const first =
            status === NOT_HTTP.handshakeFailed && this.handshake ? ` (first ${sanitizeCell(this.handshake)})` : '';
          return `${formatInt(n)} with ${cause}${first}`;
        }
        const seen =
          status === 404 && this.path !== null
            ? `, first ${sanitizeCell(this.path)}`
            : status === 401 && this.wrongToken !== null
              ? `, last from ${sanitizeCell(this.wrongToken)}`
              : '';
        return `${formatInt(n)} with ${cause} (${status}${seen})`;
      });
    const hints: string[] = [];
    if (this.byStatus.has(401))
      hints.push(
        "give that sender serve's token (--token-file or CREDITMETER_TOKEN) as OTEL_EXPORTER_OTLP_HEADERS='Authorization=Bearer …'",
      );
    if (this.byStatus.has(413)) hints.push("raise --max-body-mb, or make a Collector's batches smaller");
    if (this.storeHeld) hints.push('another process held the store (a sqlite3 shell, a long export?): let it finish');
    if (this.storeFailed !== null) hints.push(`the store failed: ${sanitizeCell(this.storeFailed)}`);
    if (this.byStatus.has(404))
      hints.push('set OTEL_EXPORTER_OTLP_ENDPOINT to the address alone, the exporter adds /v1/logs');
    if (this.byStatus.has(NOT_HTTP.tlsOnPlainPort))
      hints.push('give senders http:// (or start serve with --tls-cert and --tls-key)');
    if (this.byStatus.has(NOT_HTTP.plainOnTlsPort)) hints.push('give senders https://');
    if (this.byStatus.has(NOT_HTTP.handshakeFailed) || this.byStatus.has(NOT_HTTP.closedUnused))
      hints.push(
        "a sender that does not trust this certificate needs its CA (NODE_EXTRA_CA_CERTS, a Collector's ca_file)",
      );
    const hint = hints.map((h) => `; ${h}`).join('');
    return `${countOf(this.total, 'HTTP request')} refused so far: ${parts.join(', ')}${hint}`;
  }
}
