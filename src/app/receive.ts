/**
 * One receiver on the app's store: decoded batches go through the telemetry writer (priced with
 * the table in use, classed with the config's mapping), refusals are counted in the store.
 */
import type { AppContext } from './context.js';
import { priceRequest } from '../domain/pricing.js';
import { acceptInto, type AcceptTotals } from '../receiver/accept.js';
import { DEFAULT_MAX_BODY, startReceiver, type Receiver, type RequestReport } from '../receiver/server.js';
import { addTelemetryCount, TelemetryWriter } from '../store/telemetry-writer.js';
import type { ListenAddress } from './listen.js';

export type { RequestReport } from '../receiver/server.js';

export interface ReceiveOptions {
  address: ListenAddress;
  token: string | null;
  tls: { cert: Buffer; key: Buffer } | null;
  maxBodyBytes?: number;
  /** Called after each batch is committed (e.g. to refresh a dashboard). */
  onBatch?(totals: AcceptTotals): void;
  onRequest?(report: RequestReport): void;
}

export interface ReceiveHandle {
  receiver: Receiver;
  totals: AcceptTotals;
}

/** Starts the receiver on `ctx.db`; resolves once it accepts connections. */
export async function receiveInto(ctx: AppContext, options: ReceiveOptions): Promise<ReceiveHandle> {
  const writer = new TelemetryWriter(ctx.db, {
    classes: ctx.config.classes,
    priceVersion: ctx.prices.version,
    price: (input) => priceRequest(ctx.prices, input),
  });
  const totals: AcceptTotals = { batches: 0, events: 0, ignored: 0, rejected: 0 };
  const accept = acceptInto(writer, totals);
  const receiver = await startReceiver({
    host: options.address.host,
    port: options.address.port,
    token: options.token,
    tls: options.tls,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    accept: (records) => {
      const result = accept(records);
      options.onBatch?.(totals);
      return result;
    },
    onRequest: (report) => {
      // Refusals of a whole request are counted too (a wrong token, a bad body), never their content.
      if (report.status !== 200 && report.status !== 503) {
        try {
          addTelemetryCount(ctx.db, `http:${report.status}`);
        } catch {
          // A busy store must not turn a refusal into a crash; the count is best effort.
        }
      }
      options.onRequest?.(report);
    },
  });
  return { receiver, totals };
}
