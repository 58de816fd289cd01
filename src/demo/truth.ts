/**
 * Ground truth of a generated tree, kept while generating: every billable copy written is offered
 * here, and the de-duplication rule of the transcript format decides which copy counts (one request
 * per message id + request id, the copy with the most output tokens wins; a line without a message
 * id is a request of its own).
 */
import type { AggregateRow, RequestClass, TokenUsage } from '../domain/types.js';

/** Token totals in the units of the `report --json` rows. */
export type TokenTotals = Pick<
  AggregateRow,
  | 'requests'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWrite5mTokens'
  | 'cacheWrite1hTokens'
  | 'webSearchRequests'
>;

/** One billable copy as written (tokens after the generator's own normalisation). */
export interface CopyFacts extends Omit<TokenUsage, 'webFetch'> {
  model: string;
  cls: RequestClass;
  ts: number;
}

export function emptyTotals(): TokenTotals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    webSearchRequests: 0,
  };
}

function add(into: TokenTotals, c: CopyFacts): void {
  into.requests++;
  into.inputTokens += c.input;
  into.outputTokens += c.output;
  into.cacheReadTokens += c.cacheRead;
  into.cacheWrite5mTokens += c.cacheWrite5m;
  into.cacheWrite1hTokens += c.cacheWrite1h;
  into.webSearchRequests += c.webSearch;
}

export class TruthTracker {
  private readonly best = new Map<string, CopyFacts>();
  private readonly noId: CopyFacts[] = [];
  /** Billable copies written (transcript lines and progress-embedded copies). */
  copies = 0;
  progressCopies = 0;
  syntheticLines = 0;

  /** Records a copy of request `key` (message id + request id). */
  offer(key: string, facts: CopyFacts, inProgress = false): void {
    this.copies++;
    if (inProgress) this.progressCopies++;
    const seen = this.best.get(key);
    if (seen === undefined || facts.output > seen.output) this.best.set(key, facts);
  }

  /** Records a billable line that has no message id: each one is its own request. */
  offerNoId(facts: CopyFacts): void {
    this.copies++;
    this.noId.push(facts);
  }

  get noIdLines(): number {
    return this.noId.length;
  }

  /** Unique requests: de-duplicated keys plus the lines without id. */
  get requests(): number {
    return this.best.size + this.noId.length;
  }

  /** Totals per class, per model and overall, plus the time span of the requests. */
  summarize(): {
    total: TokenTotals;
    byClass: Record<RequestClass, TokenTotals>;
    byModel: Record<string, TokenTotals>;
    firstTs: number | null;
    lastTs: number | null;
  } {
    const total = emptyTotals();
    const byClass: Record<RequestClass, TokenTotals> = {
      programmatic: emptyTotals(),
      interactive: emptyTotals(),
      unknown: emptyTotals(),
    };
    const byModel: Record<string, TokenTotals> = {};
    let firstTs: number | null = null;
    let lastTs: number | null = null;
    const visit = (c: CopyFacts): void => {
      add(total, c);
      add(byClass[c.cls], c);
      add((byModel[c.model] ??= emptyTotals()), c);
      if (firstTs === null || c.ts < firstTs) firstTs = c.ts;
      if (lastTs === null || c.ts > lastTs) lastTs = c.ts;
    };
    for (const c of this.best.values()) visit(c);
    for (const c of this.noId) visit(c);
    return { total, byClass, byModel, firstTs, lastTs };
  }
}
