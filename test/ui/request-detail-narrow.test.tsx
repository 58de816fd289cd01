/**
 * The request detail in a narrow pane (the README supports down to about 34 columns): a cost is
 * never cut; the word "tokens", then the token count, give way first.
 */
import { describe, expect, it } from 'vitest';
import { apportion, detailDecimals, detailMoney, RequestDetail } from '../../src/ui/views/RequestDetail.js';
import { bundledPriceTable } from '../../src/app/prices.js';
import { priceBreakdown } from '../../src/domain/pricing.js';
import type { StoredRequest } from '../../src/domain/types.js';
import { storedRequest } from './stored-request.js';
import type { RequestDetailView } from '../../src/state/types.js';
import { renderPinned } from './render.js';

const request: StoredRequest = storedRequest({
  messageId: 'msg_01',
  requestId: 'req_01',
  project: '/srv/app',
  gitBranch: 'main',
  model: 'claude-opus-4-6',
  usage: {
    input: 11,
    output: 266_667,
    cacheRead: 1_220_529,
    cacheWrite5m: 0,
    cacheWrite1h: 22_058,
    webSearch: 2,
    webFetch: 0,
  },
  cost: null,
  origin: 'transcript',
});

/** The lines of a request's detail at `columns` columns and `height` rows. */
async function detailLines(detail: RequestDetailView, columns: number, height: number): Promise<string[]> {
  const r = await renderPinned(
    <RequestDetail detail={detail} tz="UTC" width={columns} height={height} />,
    columns,
    height,
  );
  const lines = r.lines();
  r.unmount();
  return lines;
}

describe('the request detail in a short pane', () => {
  it('fills its height: title, as many rows as fit, and the footer saying where it is', async () => {
    const b = priceBreakdown(bundledPriceTable(), { ...request })!;
    // The dashboard gives it the terminal's rows but the last (kept empty): 13 of 14.
    const r = await renderPinned(
      <RequestDetail detail={{ request, breakdown: b }} tz="UTC" width={50} height={13} />,
      50,
      14,
    );
    const lines = r.lines();
    r.unmount();
    expect(lines).toHaveLength(13);
    expect(lines.every((l) => l.trim() !== '')).toBe(true);
    expect(lines[12]).toMatch(/^rows 1–11 of \d+/);
  });
});

describe('the request detail in a narrow pane', () => {
  const b = priceBreakdown(bundledPriceTable(), { ...request })!;
  // As the detail shows them: to one precision, apportioned so that they add up to the cost.
  const d = detailDecimals(b.total);
  const all = apportion([b.input, b.output, b.cacheRead, b.cacheWrite5m, b.cacheWrite1h, b.webSearch], b.total, d);
  const costs = [all[0]!, all[1]!, all[2]!, all[4]!, all[5]!].map(detailMoney(b.total));

  for (const columns of [34, 35, 36, 38, 40, 60]) {
    it(`shows every cost whole at ${columns} columns`, async () => {
      const lines = await detailLines({ request, breakdown: b }, columns, 40);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(columns);
      const line = (label: string): string => lines.find((l) => l.startsWith(label)) ?? '';
      const labels = ['Input', 'Output', 'Cache read', 'Cache write 1h', 'Web searches'];
      labels.forEach((label, i) => {
        expect(line(label), label).toMatch(new RegExp(`\\s${costs[i]!.replace(/[$.]/g, '\\$&')}$`));
        expect(line(label), label).not.toContain('…');
      });
      // Where it fits, the whole line: count, "tokens", cost.
      if (columns >= 60) expect(line('Output')).toContain(`266,667 tokens  ${costs[1]}`);
    });
  }
});

describe('the count rows of a request detail', () => {
  it('take one form together: the word "tokens" on every row or on none', async () => {
    const small = {
      ...request,
      usage: { input: 1, output: 111, cacheRead: 12_345, cacheWrite5m: 0, cacheWrite1h: 7, webSearch: 0, webFetch: 0 },
    };
    const b = priceBreakdown(bundledPriceTable(), { ...small })!;
    for (const columns of [34, 36, 40, 44, 50, 60, 80]) {
      const lines = await detailLines({ request: small, breakdown: b }, columns, 40);
      const counts = ['Input', 'Output', 'Cache read', 'Cache write 5m', 'Cache write 1h'].map(
        (label) => lines.find((l) => l.startsWith(label)) ?? '',
      );
      const withWord = counts.filter((l) => l.includes(' tokens')).length;
      expect([0, counts.length], `${columns}: ${counts.join(' | ')}`).toContain(withWord);
    }
  });
});

describe('the request detail with long ids and paths', () => {
  it('shows each whole, going on over the next lines, never cut, down to 34 columns', async () => {
    const long = {
      ...request,
      requestId: 'req_011CY2we8Rdgz7Lq9mXbT4uPnVw3',
      messageId: 'msg_01AP5J9kCJyCxQ7rT2vLm8nB',
      sessionId: '258c7280-ae70-4791-9f3e-7d2b1c0a5e64',
      project: '/home/USER/projects/spotter-worktrees/spotter-feature-long-branch',
    };
    for (const columns of [34, 60, 120]) {
      const lines = await detailLines({ request: long, breakdown: null }, columns, 60);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(columns);
      // A value and the lines under it with no label: read back whole.
      const whole = (label: string): string => {
        const at = lines.findIndex((l) => l.startsWith(label));
        let text = lines[at]!.slice(16).trimEnd();
        for (let k = at + 1; k < lines.length && lines[k]!.startsWith(' '.repeat(16)); k++)
          text += lines[k]!.slice(16).trimEnd();
        return text;
      };
      expect(whole('Request id')).toBe(long.requestId);
      expect(whole('Message id')).toBe(long.messageId);
      expect(whole('Session')).toBe(long.sessionId);
      expect(whole('Project')).toBe(long.project);
      expect(lines.join('\n')).not.toContain('…');
    }
  });
});

describe('the request detail with a hostile name', () => {
  it('shows a control character in a value that fits as text, as one that is cut', async () => {
    const hostile = { ...request, project: '/work/\u001b[2Jx', gitBranch: 'b\u001b]0;t\u0007' };
    const r = await renderPinned(
      <RequestDetail detail={{ request: hostile, breakdown: null }} tz="UTC" width={80} height={40} />,
      80,
      40,
    );
    const lines = r.lines();
    r.unmount();
    expect(lines.find((l) => l.startsWith('Project'))).toContain('/work/\\u{1b}[2Jx');
    expect(lines.find((l) => l.startsWith('Branch'))).toContain('b\\u{1b}]0;t\\u{7}');
  });
});

describe('the price rules of a request', () => {
  const rulesOf = async (over: Partial<StoredRequest>): Promise<string> => {
    const r = { ...request, ...over };
    const b = priceBreakdown(bundledPriceTable(), r)!;
    const ui = await renderPinned(
      <RequestDetail detail={{ request: r, breakdown: b }} tz="UTC" width={100} height={40} />,
      100,
      40,
    );
    const line = ui.lines().find((l) => l.startsWith('Price rules')) ?? '';
    ui.unmount();
    return line.replace(/^Price rules\s+/, '');
  };

  it('names only the rules the model is priced by, and the multiplier without float noise', async () => {
    const both = await rulesOf({ speed: 'fast', inferenceGeo: 'us' });
    expect(both).toMatch(/fast mode, US inference, 2 web searches, x6\.6 multiplier/);
    // A model without a US rate: a US request is priced as any other, and no rule is named.
    const plain = await rulesOf({
      model: 'claude-sonnet-4-5-20250929',
      inferenceGeo: 'us',
      usage: { ...request.usage, webSearch: 0 },
    });
    expect(plain).toBe('standard rates');
  });
});
