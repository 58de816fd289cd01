/** `status` on a terminal: lines longer than it wrap between words, under their label. */
import { describe, expect, it } from 'vitest';
import { wrapLine } from '../../src/output/wrap.js';
import { textWidth } from '../../src/domain/terminal-text.js';

const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('wrapLine', () => {
  it('counts wide characters as the terminal draws them: no line runs past its columns', () => {
    const line = `Unpriced     ${Array.from({ length: 20 }, (_, i) => `模型${i} 🚀`).join(' ')}`;
    const lines = wrapLine(line, 40);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(textWidth(l), l).toBeLessThanOrEqual(40);
    expect(lines.join(' ').replace(/ +/g, ' ')).toBe(line.replace(/ +/g, ' '));
  });

  it('leaves a line that fits alone', () => {
    expect(wrapLine('Credit    $1.00 of $20.00 used', 40)).toEqual(['Credit    $1.00 of $20.00 used']);
  });

  it('breaks between words and starts the rest under the text after the label', () => {
    const line = 'Burn      $0.00/h last hour, $0.00/h last 24 h, $0.00/day last 7 days, $0.00/day this cycle';
    const out = wrapLine(line, 50);
    expect(out).toEqual([
      'Burn      $0.00/h last hour, $0.00/h last 24 h,',
      '          $0.00/day last 7 days, $0.00/day this',
      '          cycle',
    ]);
    const interactive = wrapLine(
      'Interactive  $0.00 in 0 requests (API-equivalent value, not charged to the credit)',
      79,
    );
    expect(interactive[1]).toBe('             credit)');
  });

  it('counts colour sequences as nothing and keeps every word, in order, on random lines', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const words = Array.from({ length: 1 + rand(25) }, () => 'x'.repeat(1 + rand(12)));
      const coloured = words.map((w, i) => (i % 3 === 0 ? `\u001b[1m${w}\u001b[22m` : w));
      const line = `${['Burn      ', '          ', 'Programmatic ', ''][rand(4)]}${coloured.join(' ')}`;
      const columns = 20 + rand(60);
      const out = wrapLine(line, columns);
      for (const l of out)
        if (plain(l).trim().split(' ').length > 1) expect(plain(l).length).toBeLessThanOrEqual(columns);
      expect(
        out
          .map((l) => plain(l).trim())
          .join(' ')
          .split(/ +/),
      ).toEqual(plain(line).trim().split(/ +/));
    }
  });
});

describe('attribution lines', () => {
  it('wrap alike, whatever their label', () => {
    for (const columns of [40, 60]) {
      const indents = ['Workflows     ', 'Users         ', 'Repositories  '].map((label) => {
        const lines = wrapLine(`${label}(none) $21.77 · acme/api-service $1.00 · acme/web-frontend $0.50`, columns - 1);
        expect(lines.length).toBeGreaterThan(1);
        return /^ */.exec(lines[1]!)![0].length;
      });
      expect(new Set(indents).size).toBe(1);
    }
  });
});
