import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatInt } from '../../domain/format.js';
import type { StoredRequest } from '../../domain/types.js';
import type { RequestDetailView } from '../../state/types.js';
import { cell, fitFields, fitSentence } from '../bars.js';
import { scrollWindow } from '../hooks/use-list-keys.js';
import { noticeTextLines } from '../components/Footer.js';
import { shortDateTime, stampTime } from '../format-time.js';
import { useTone } from '../theme.js';
import { clusters, escapeControls, textWidth } from '../../domain/terminal-text.js';

/**
 * One line of the detail: its label and value, then shorter forms of the value for a narrow
 * terminal, in the order they are tried (a cost is kept whole: the token count goes first).
 */
export type DetailRow = [label: string, value: string, ...shorter: string[]];

/** Where a request's tokens came from, as its detail says it. */
const ORIGIN_WORDS: Record<NonNullable<StoredRequest['origin']>, string> = {
  transcript: 'tokens from a transcript',
  push: 'tokens from a pushed transcript copy',
  otel: 'tokens from telemetry',
};

/** The rows of a count and its cost, in the order of the breakdown's parts (detailRows' `priced`). */
const COUNT_LABELS = ['Input', 'Output', 'Cache read', 'Cache write 5m', 'Cache write 1h', 'Web searches'] as const;
const COUNTS = new Set<string>(COUNT_LABELS);
/** The label column of the detail's rows. */
const LABEL_WIDTH = 16;

/** Decimals of a request's money in its detail: cents from a dollar, else two significant digits, at least four. */
export function detailDecimals(total: number): number {
  const a = Math.abs(total);
  if (a >= 1 || a === 0 || !Number.isFinite(a)) return 2;
  return Math.max(4, Math.min(8, 1 - Math.floor(Math.log10(a))));
}

/** Money in a request's detail, to `decimals` (detailDecimals of its total). */
export function detailMoney(total: number): (usd: number) => string {
  const decimals = detailDecimals(total);
  const unit = 10 ** decimals;
  // Rounded as apportion rounds the total (toFixed alone rounds a tie such as 0.75015 otherwise).
  return (v) => `${v < 0 ? '-' : ''}$${(Math.round(Math.abs(v) * unit) / unit).toFixed(decimals)}`;
}

/**
 * The parts of `total` rounded to `decimals` so that, as shown, they add up to the total as shown:
 * each rounded down, then the units the total still needs to the parts that lost the most
 * (largest remainders). Parts that do not sum to the total exactly are scaled to it first.
 */
export function apportion(parts: readonly number[], total: number, decimals: number): number[] {
  const unit = 10 ** decimals;
  const sum = parts.reduce((a, b) => a + b, 0);
  const scaled = sum > 0 ? parts.map((p) => (p * total) / sum) : parts.map(() => 0);
  const floors = scaled.map((p) => Math.floor(p * unit + 1e-7));
  let need = Math.round(total * unit) - floors.reduce((a, b) => a + b, 0);
  const order = scaled.map((p, i) => ({ i, rest: p * unit - floors[i]! })).sort((x, y) => y.rest - x.rest);
  for (let k = 0; need > 0 && k < order.length; k++, need--) floors[order[k]!.i]!++;
  return floors.map((n) => n / unit);
}

/** The detail's lines (pure, so it can be tested). */
export function detailRows(d: RequestDetailView, tz: string): DetailRow[] {
  const r = d.request;
  const b = d.breakdown;
  const u = r.usage;
  const rows: DetailRow[] = [
    ['Request id', r.requestId ?? '(none)'],
    ['Message id', r.messageId ?? '(none)'],
    ['Time', `${stampTime(r.ts, tz)} (${tz})`],
    ['Model', b && b.row.id !== r.model ? `${r.model} (priced as ${b.row.id})` : r.model],
    ['Entrypoint', r.entrypoint ?? '(none)'],
    ['Class', r.class],
    ['Session', r.sessionId ?? '(unknown)'],
    ['Project', r.project ?? '(unknown)'],
    ['Branch', r.gitBranch ?? '(none)'],
    ['Claude Code', r.ccVersion ?? '(unknown)'],
  ];
  // Who and what ran it, as telemetry named it (a transcript alone names none of these).
  const a = r.attribution;
  if (a !== undefined) {
    const who: Array<[string, string | null]> = [
      ['User', a.user],
      ['Repository', a.repo],
      ['Workflow', a.workflow],
      ['Run', a.runId],
      ['Host', a.host],
      ['Agent', a.agentName],
      ['Skill', a.skill],
    ];
    for (const [label, value] of who) if (value !== null) rows.push([label, value]);
  }
  // Every part and the cost to one precision, the parts rounded so that they add up to the cost as
  // shown (each rounded alone, five parts can miss it by a few units of the last digit).
  const whole = b?.total ?? r.cost ?? 0;
  const exact = detailMoney(whole);
  const money = (v: number | undefined): string => (v === undefined ? '' : exact(v));
  const shown =
    b === null
      ? null
      : apportion(
          [b.input, b.output, b.cacheRead, b.cacheWrite5m, b.cacheWrite1h, b.webSearch],
          b.total,
          detailDecimals(whole),
        );
  const counts = [u.input, u.output, u.cacheRead, u.cacheWrite5m, u.cacheWrite1h];
  // A count and its cost: narrower, the word "tokens" goes, then the count; the cost stays whole.
  const priced = (label: string, count: number, unit: string, usd: number | undefined): DetailRow => {
    const n = formatInt(count);
    const m = money(usd);
    const full = `${n}${unit}`;
    return m === '' ? [label, full, n] : [label, `${full}  ${m}`, `${n}  ${m}`, m];
  };
  counts.forEach((tokens, k) => rows.push(priced(COUNT_LABELS[k]!, tokens, ' tokens', shown?.[k])));
  rows.push(priced(COUNT_LABELS[5], u.webSearch, '', shown?.[5]));
  if (b === null && r.cost !== null) {
    rows.push(['Cost', exact(r.cost)]);
  } else if (b === null) {
    rows.push(['Cost', `unpriced: no price for ${r.model} (add it with --prices FILE)`]);
  } else {
    const rules = [
      b.longContext ? 'long context (whole request at the long-context rates)' : null,
      // The rules that priced it (a US request of a model without a US rate is priced as any other).
      b.fast ? 'fast mode' : null,
      b.usInference ? 'US inference' : null,
      u.webSearch > 0 ? `${u.webSearch} web ${u.webSearch === 1 ? 'search' : 'searches'}` : null,
      b.multiplier !== 1 ? `x${Number(b.multiplier.toFixed(4))} multiplier` : null,
    ].filter((x): x is string => x !== null);
    rows.push(['Price rules', rules.length > 0 ? rules.join(', ') : 'standard rates']);
    rows.push(['Cost', exact(b.total)]);
  }
  // Claude Code's own estimate, when telemetry carried one, beside creditmeter's price.
  if (a?.ccCost != null) rows.push(['CC estimate', `${exact(a.ccCost)} (Claude Code's own)`]);
  rows.push(['Price table', `${r.priceVersion ?? '(not priced yet)'} · ${ORIGIN_WORDS[r.origin ?? 'transcript']}`]);
  return rows;
}

/** Rows whose value is a name or an id (copied whole, never shortened): too wide, it goes on over the next lines. */
const NAMES = new Set([
  'Request id',
  'Message id',
  'Model',
  'Session',
  'Project',
  'Branch',
  'User',
  'Repository',
  'Workflow',
  'Run',
  'Host',
  'Agent',
  'Skill',
]);

/** `rows` with each name or id wider than `width` on as many lines as it takes, the label on the first. */
export function wrapNames(rows: readonly DetailRow[], width: number): DetailRow[] {
  const out: DetailRow[] = [];
  for (const row of rows) {
    const [label, value] = row;
    const text = escapeControls(value);
    if (!NAMES.has(label) || textWidth(text) <= width) {
      out.push(row);
      continue;
    }
    const lines = wrapAtSeparators(text, width);
    lines.forEach((line, i) => out.push([i === 0 ? label : '', line]));
  }
  return out;
}

/**
 * `text` on lines of at most `width` columns, broken after a `/`, `-`, `_`, `.`, `:`, `@` or space
 * (`/home/kim/src/` then `ingest-worker`) unless that takes more lines than filling each line
 * (`req_` alone on a line would); a piece wider than a line is cut where the line is full. Never
 * inside a character as the eye sees one.
 */
export function wrapAtSeparators(text: string, width: number): string[] {
  // The pieces: each ends with its separator (the last may have none).
  const pieces = text.match(/[^/\-_.:@ ]*(?:[/\-_.:@ ]|$)/g)?.filter((p) => p !== '') ?? [text];
  const atSeparators = packed(pieces, width);
  const filled = packed([text], width);
  return atSeparators.length > filled.length ? filled : atSeparators;
}

/** `pieces` packed on lines of `width` columns: a piece that does not fit starts a line, one wider is cut. */
function packed(pieces: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (): void => {
    if (line !== '') lines.push(line);
    line = '';
  };
  for (const piece of pieces) {
    if (textWidth(line + piece) <= width) {
      line += piece;
      continue;
    }
    if (textWidth(piece) <= width) {
      push();
      line = piece;
      continue;
    }
    for (const c of clusters(piece)) {
      if (line !== '' && textWidth(line + c) > width) push();
      line += c;
    }
  }
  push();
  return lines.length > 0 ? lines : [''];
}

/**
 * The count rows in one form, the first that fits every one of them: "1 tokens" above "111" (one
 * row short of room for its word) read as two kinds of figure.
 */
export function alikeCounts(rows: readonly DetailRow[], width: number): DetailRow[] {
  const counts = rows.filter(([label]) => COUNTS.has(label));
  const depth = Math.max(0, ...counts.map((r) => r.length - 2));
  let from = 0;
  while (
    from < depth &&
    counts.some(([, ...forms]) => textWidth(escapeControls(forms[Math.min(from, forms.length - 1)]!)) > width)
  )
    from++;
  if (from === 0) return [...rows];
  return rows.map((r) => {
    if (!COUNTS.has(r[0])) return r;
    const [label, ...forms] = r;
    return [label, ...forms.slice(Math.min(from, forms.length - 1))] as DetailRow;
  });
}

/**
 * The first of `forms` that fits `width` whole, else the last one fitted (cut at a word); control
 * characters shown as text either way (fitSentence).
 */
function fitForms(forms: readonly string[], width: number): string {
  const whole = forms.find((f) => textWidth(escapeControls(f)) <= width);
  return fitSentence(whole ?? forms[forms.length - 1] ?? '', width);
}

/** Everything about one request (Enter on a request row); Esc goes back to the list. */
export function RequestDetail({
  detail,
  tz,
  width,
  height,
  scroll = 0,
  notice = null,
}: {
  detail: RequestDetailView | null;
  tz: string;
  width: number;
  height: number;
  /** The first row shown when the rows do not all fit (the arrow keys scroll). */
  scroll?: number;
  /** The notice on screen (an export's path, a sticky notice such as the receiver's), above the footer. */
  notice?: string | null;
}): JSX.Element {
  const tone = useTone();
  if (detail === null) {
    return (
      <Box flexDirection="column">
        <Text>{fitSentence('This request is no longer in the store. Esc goes back.', width)}</Text>
      </Box>
    );
  }
  const r = detail.request;
  const title = fitFields(
    [
      { forms: ['Request'], priority: 0 },
      { forms: [r.model], priority: 1 },
      { forms: [shortDateTime(r.ts, tz)], priority: 2 },
      {
        forms: [
          detail.breakdown
            ? detailMoney(detail.breakdown.total)(detail.breakdown.total)
            : r.cost !== null
              ? detailMoney(r.cost)(r.cost)
              : 'unpriced',
        ],
        priority: 1,
      },
    ],
    width,
  );
  const valueWidth = Math.max(1, width - LABEL_WIDTH);
  const all = alikeCounts(wrapNames(detailRows(detail, tz), valueWidth), valueWidth);
  // Title and footer take two lines, a notice its own; rows that do not fit scroll, and the footer
  // says where it is.
  const noticeLines = noticeTextLines(notice, width);
  const room = Math.max(1, height - 2 - noticeLines.length);
  const { start, shown: rows } = scrollWindow('detail', all, room, scroll);
  const footer =
    rows.length < all.length
      ? fitFields(
          [
            {
              forms: [
                `rows ${start + 1}–${start + rows.length} of ${all.length}`,
                `${start + rows.length}/${all.length}`,
              ],
              priority: 0,
            },
            { forms: ['↑↓ PgUp PgDn scroll', '↑↓ scroll'], priority: 1 },
            { forms: ['Esc back'], priority: 2 },
            { forms: ['q quit'], priority: 3 },
            { forms: ['e export'], priority: 4 },
          ],
          width - 1,
        )
      : fitFields(
          [
            { forms: ['Esc back'], priority: 0 },
            { forms: ['e export'], priority: 2 },
            { forms: ['q quit'], priority: 1 },
          ],
          width,
          ' · ',
        );
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {rows.map(([label, ...forms], i) => (
        <Text key={start + i} wrap="truncate-end">
          <Text color={tone('gray')}>{cell(label, LABEL_WIDTH)}</Text>
          {fitForms(forms, valueWidth)}
        </Text>
      ))}
      {noticeLines.map((line, i) => (
        <Text key={`notice-${i}`} color={tone('green')} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text color={tone('gray')}>{footer}</Text>
    </Box>
  );
}
