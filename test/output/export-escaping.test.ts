import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { renderHtml } from '../../src/output/export-html.js';
import { renderMarkdown } from '../../src/output/export-md.js';
import { escapeHtml, escapeMarkdown, shortId } from '../../src/output/export-format.js';
import { exactMoney, renderAggregateCsv, renderRequestsCsv } from '../../src/output/export-csv.js';
import { csvCell } from '../../src/output/table.js';
import { renderJson } from '../../src/output/export-json.js';
import { CHARTS, externalReferences, parseDocument } from './html-checks.js';
import { EVIL, sampleSnapshot } from './sample-snapshot.js';
import { storedRequest } from '../ui/stored-request.js';

describe('HTML export with hostile strings', () => {
  const html = renderHtml(sampleSnapshot());
  const doc = parseDocument(html);

  it('escapes every string: no element comes from the data, the text survives as text', () => {
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('a')).toHaveLength(0);
    expect(html).not.toContain('<script>');
    expect(doc.body.textContent).toContain('<script>alert("x")</script>');
  });

  it('shows control characters and direction overrides as the reports do: none reaches the page raw', () => {
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(doc.body.textContent).toContain('\\u{1b}[31mred');
    // A repository that would read as `acme/repo`, and a session id cut within an emoji.
    expect(escapeHtml('\u202eoper/emca')).toBe('\\u{202e}oper/emca');
    expect(escapeHtml('a\nb\tc')).toBe('a\nb\tc');
    expect(shortId('abcdefg\u{1f680}xyz-session')).toBe('abcdefg…');
  });

  it('has every chart and no reference outside the file, even with a URL in the data', () => {
    for (const chart of CHARTS) expect(doc.querySelector(`svg[data-chart="${chart}"]`), chart).not.toBeNull();
    expect(externalReferences(doc, html)).toEqual([]);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain(
      "default-src 'none'",
    );
  });

  it('shows an exhausted credit: full red gauge, overage, the P50 exhaustion marker', () => {
    expect(doc.querySelector('svg[data-chart="gauge"] .gauge-fill.sev-over')).not.toBeNull();
    expect(doc.querySelector('#credit')?.textContent).toContain('$20.00');
    expect(doc.querySelector('svg[data-chart="cumulative"] .exhaust')).not.toBeNull();
  });

  it('has a dark scheme and a print layout', () => {
    const css = Array.from(doc.querySelectorAll('style'))
      .map((s) => s.textContent ?? '')
      .join('');
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(css).toMatch(/@media print/);
  });
});

describe('Markdown export with hostile strings', () => {
  const md = renderMarkdown(sampleSnapshot());

  it('keeps every table row at its column count (pipes escaped)', () => {
    const tables = md
      .split(/\n(?!\|)/)
      .map((block) => block.split('\n').filter((l) => l.startsWith('|')))
      .filter((t) => t.length > 0);
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const t of tables) {
      const widths = t.map((l) => l.replace(/\\\|/g, '').split('|').length);
      expect(new Set(widths).size, t.join('\n')).toBe(1);
    }
  });

  it('emits no raw HTML, no live link and no terminal control code from the data', () => {
    expect(md).not.toContain('<script>');
    // A page pasted into a terminal or a PR comment runs no escape sequence; the code shows as text.
    expect(md).not.toContain('\u001b');
    expect(md).toContain('\\u\\{1b\\}\\[31mred');
    expect(md).not.toMatch(/[^\\]\[link\]\(/);
    // An entity in a name reads as written, not as the character it names.
    expect(escapeMarkdown('R&amp;D')).toBe('R\\&amp;D');
  });

  it('states the view and the warnings', () => {
    expect(md).toContain('View: all classes, grouped by model, project');
    expect(md).toContain('**Warning:** warning');
  });
});

describe('CSV fields', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and round-trips them', () => {
    const rows = [
      {
        key: 'a,"b"\r\nc',
        requests: 1,
        inputTokens: 2,
        outputTokens: 3,
        cacheReadTokens: 4,
        cacheWrite5mTokens: 5,
        cacheWrite1hTokens: 6,
        webSearchRequests: 0,
        cost: 0.1234567,
        unpricedRequests: 0,
      },
    ];
    const text = renderAggregateCsv(rows, 'project');
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(parsed[0]?.project).toBe('a,"b"\r\nc');
    expect(parsed[0]?.cost_usd).toBe('0.123457');
  });

  it('shows a control character in text as the reports do; tab, CR and LF stay, quoted', () => {
    expect(csvCell('evil\u001b[31m@acme.com')).toBe('evil\\u{1b}[31m@acme.com');
    expect(csvCell('a\u0007b\u202ec')).toBe('a\\u{7}b\\u{202e}c');
    expect(csvCell('wf\nline')).toBe('"wf\nline"');
    expect(csvCell('a\tb')).toBe('a\tb');
  });

  it("leaves a request's transcript copy kind empty when telemetry alone knows it", () => {
    const text = renderRequestsCsv(
      [
        storedRequest({ key: 'a', origin: 'transcript', source: 'progress' }),
        storedRequest({ key: 'b', origin: 'push' }),
        storedRequest({ key: 'c', origin: 'otel' }),
      ],
      'UTC',
    );
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.key, r.source, r.origin])).toEqual([
      ['a', 'progress', 'transcript'],
      ['b', 'line', 'push'],
      ['c', '', 'otel'],
    ]);
  });

  it('defuses spreadsheet formulas in text but not in numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a cost as its exact decimal, without float noise, never in exponent form', () => {
    for (const v of [0.1444475, 51.742581, 0.1 + 0.2, 8e-8, 1.5e-7, 1234567.125, 0, -0, 3e21, 1e-13]) {
      const s = exactMoney(v);
      expect(s, String(v)).not.toMatch(/e/i);
      expect(Math.abs(Number(s) - v), String(v)).toBeLessThanOrEqual(5e-13);
    }
    // What prices make: whole tokens times a price of a few decimals, and a sum of such.
    expect(exactMoney(0.11860230000000001)).toBe('0.1186023');
    expect(exactMoney(0.0015300000000000001)).toBe('0.00153');
    expect(exactMoney(0.000054000000000000005)).toBe('0.000054');
    expect(exactMoney(0.1 + 0.2)).toBe('0.3');
    expect(exactMoney(190_775 * (0.3 / 1e6))).toBe('0.0572325');
    expect(exactMoney(-0)).toBe('0');
    expect(exactMoney(3e21)).toBe('3000000000000000000000');
    // As many decimals as a double holds beside the dollars: no noise on a large one.
    expect(exactMoney(123456789.1)).toBe('123456789.1');
    expect(exactMoney(98765.4321)).toBe('98765.4321');
    expect(exactMoney(0.1444475)).toBe('0.1444475');
    expect(exactMoney(8e-8)).toBe('0.00000008');
    expect(exactMoney(1.5e-7)).toBe('0.00000015');
    expect(exactMoney(null)).toBe('');
  });
});

describe('JSON export', () => {
  it('is valid JSON that carries the strings unchanged', () => {
    const parsed = JSON.parse(renderJson(sampleSnapshot())) as {
      status: { pricing: { version: string } };
      schema: string;
    };
    expect(parsed.schema).toBe('creditmeter.snapshot/1');
    expect(parsed.status.pricing.version).toBe(EVIL);
  });
});
