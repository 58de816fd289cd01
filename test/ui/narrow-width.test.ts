import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isNarrowText, withGraphemeFastPath, withNarrowFastPath } from '../../src/ui/narrow-width.js';
import { Rng } from '../../src/demo/prng.js';

type Width = (text: string, options?: { ambiguousIsNarrow?: boolean }) => number;

/** Every installed copy of string-width (top level and nested one level down), as the bundle may meet them. */
async function copies(): Promise<{ where: string; width: Width }[]> {
  const top = resolve('node_modules');
  const dirs = [join(top, 'string-width')];
  for (const name of readdirSync(top)) {
    const nested = join(top, name, 'node_modules', 'string-width');
    if (existsSync(nested)) dirs.push(nested);
  }
  const out: { where: string; width: Width }[] = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string; version: string };
    const where = `${dir} ${pkg.version}`;
    if (pkg.type === 'module') {
      const mod = (await import(pathToFileURL(join(dir, 'index.js')).href)) as { default: Width };
      out.push({ where, width: mod.default });
    } else {
      out.push({ where, width: createRequire(join(dir, 'package.json'))('./index.js') as Width });
    }
  }
  return out;
}

/** Every BMP character the fast path counts as one column. */
function narrowChars(): string[] {
  const out: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (isNarrowText(ch)) out.push(ch);
  }
  return out;
}

describe('the text width fast path', () => {
  it('counts one column for exactly the characters every installed string-width counts one', async () => {
    const all = await copies();
    expect(all.length).toBeGreaterThanOrEqual(1);
    const chars = narrowChars();
    expect(chars.length).toBeGreaterThan(500);
    for (const { where, width } of all) {
      const wrong = chars.filter((ch) => width(ch) !== 1).map((ch) => ch.charCodeAt(0).toString(16));
      expect(wrong, where).toEqual([]);
    }
  });

  it("takes every character the dashboard's own text uses: none loads the package before a first frame", () => {
    // A character outside the fast path (▶ was one: 1 column to Ink's copy, 2 to its text
    // wrapper's) makes the package load, about 30 ms, the first time a line holding it is measured.
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const used = new Set<string>();
    for (const f of [...files(resolve('src/ui')), ...files(resolve('src/state'))]) {
      const code = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l))
        .join('\n');
      for (const ch of code) if (ch > '~') used.add(ch);
    }
    expect([...used].filter((ch) => !isNarrowText(ch))).toEqual([]);
  });

  it('gives what the package gives, for texts of those characters and for any other text', async () => {
    const all = await copies();
    const chars = narrowChars();
    const others = [
      ...['\u001b[1m', '\u001b[22m', '\u001b[38;5;123m', '\u001b[m', '\u001b[12345m', '\u001b[1;2;3;45678m'],
      ...['\u001b]8;;x\u0007', '\u001b\\', '\u009b1m', '\u0007', '\u001b[2K', '\u001b'],
      ...['日本', '👍', 'e\u0301', '\u200d', '\u00ad', '©', '▶', '\t', '\u0000', '⌚', '\ufe0f'],
    ];
    const rng = new Rng(11, 'narrow-width');
    const rand = (): number => rng.u32() / 2 ** 32;
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (const { where, width } of all) {
      const fast = withNarrowFastPath(width);
      for (let i = 0; i < 400; i++) {
        let text = '';
        const n = Math.floor(rand() * 40);
        for (let k = 0; k < n; k++) text += rand() < 0.1 ? pick(others) : pick(chars);
        expect(fast(text), `${where}: ${JSON.stringify(text)}`).toBe(width(text));
        expect(fast(text, { ambiguousIsNarrow: false }), where).toBe(width(text, { ambiguousIsNarrow: false }));
        expect(fast(text, { countAnsiEscapeCodes: true } as never), where).toBe(
          width(text, { countAnsiEscapeCodes: true } as never),
        );
      }
      expect(fast('█████░░░░░ 42% · $12.30 ↑↓ ⏎')).toBe(28);
      expect(fast('\u001b[1mCredit    \u001b[22m░░░│░░')).toBe(16);
    }
  });

  it('splits text into the grapheme clusters Intl.Segmenter gives, with or without the fast path', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    let slow = 0;
    const clusters = withGraphemeFastPath((text) => {
      slow++;
      return segmenter.segment(text);
    });
    const chars = narrowChars();
    const others = [
      ...['\u001b[1m', '\u001b[22m', '\u001b[38;5;123m', '\u001b[m', '\u001b[12345m'],
      ...['\u001b]8;;x\u0007', '\u001b\\', '\u009b1m', '\u0007', '\r\n', '\r', '\u001b'],
      ...['日本', '👍', '👍🏽', '🇫🇷', 'e\u0301', 'a\u200db', '\u00ad', '©\ufe0f', '\u1100\u1161', 'क्ष', '\ud83d'],
    ];
    const rng = new Rng(12, 'graphemes');
    const rand = (): number => rng.u32() / 2 ** 32;
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const asPairs = (xs: Iterable<{ segment: string; index: number }>): [string, number][] =>
      [...xs].map(({ segment, index }) => [segment, index]);
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const n = Math.floor(rand() * 40);
      const mix = rand() < 0.5 ? 0 : 0.08;
      for (let k = 0; k < n; k++) text += rand() < mix ? pick(others) : pick(chars);
      const before = slow;
      expect(asPairs(clusters(text)), JSON.stringify(text)).toEqual(asPairs(segmenter.segment(text)));
      if (slow === before) fast++;
    }
    // Both ways were taken, often.
    expect(fast).toBeGreaterThan(500);
    expect(slow).toBeGreaterThan(500);
    expect(asPairs(clusters('\u001b[1m█ ·\u001b[22m'))).toHaveLength(12);
  });
});
