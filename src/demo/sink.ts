/**
 * Where a thread's lines go: a transcript file (counted, offered to the truth), nowhere (a
 * subagent file that was never written), and optionally a copy kept for a later resumed session.
 */
import type { CopyFacts, TruthTracker } from './truth.js';
import type { LineFile } from './tree-writer.js';

/** A billable copy inside a line: `key` null for a line without message id. */
export interface Offer {
  key: string | null;
  facts: CopyFacts;
  inProgress: boolean;
}

/** A written line kept so a resumed session can copy it. */
export interface Retained {
  line: string;
  offers: Offer[];
}

export interface Sink {
  write(line: string, offers?: Offer[]): void;
}

/** Offers the copies of one line to the truth tracker. */
export function offerAll(truth: TruthTracker, offers: readonly Offer[]): void {
  for (const o of offers) {
    if (o.key === null) truth.offerNoId(o.facts);
    else truth.offer(o.key, o.facts, o.inProgress);
  }
}

/** Writes to a file; when `keep` is given, also keeps lines (up to `keepBytes`) for resuming. */
export class FileSink implements Sink {
  private kept = 0;

  constructor(
    private readonly file: LineFile,
    private readonly truth: TruthTracker,
    private readonly keep: Retained[] | null = null,
    private readonly keepBytes = 4 << 20,
  ) {}

  write(line: string, offers: Offer[] = []): void {
    this.file.write(line);
    offerAll(this.truth, offers);
    if (this.keep !== null && this.kept < this.keepBytes && offers.every((o) => o.key !== null)) {
      this.keep.push({ line, offers });
      this.kept += line.length;
    }
  }
}

/** A file that is never written (a subagent whose transcript is missing). */
export const NULL_SINK: Sink = { write: () => undefined };
