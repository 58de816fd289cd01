import { describe, expect, it } from 'vitest';
import { Digest64, digest64 } from '../../src/domain/digest.js';

describe('digest64', () => {
  it('is 16 hex digits, the same for the same text whether fed whole or in parts', () => {
    const text = '/root/projects/-home-u/a.jsonl\u0000transcript\u000066306:1234567:388221:1764800000000.5';
    expect(digest64(text)).toMatch(/^[0-9a-f]{16}$/);
    expect(digest64(text)).toBe(digest64(text));
    expect(new Digest64().update(text.slice(0, 7)).update('').update(text.slice(7)).hex()).toBe(digest64(text));
  });

  it('changes with any one code unit, anywhere, and with the length', () => {
    const base = `${'/work/projects/-srv-agents-x/'.repeat(40)}9:1:2:3`;
    const seen = new Set([digest64(base)]);
    for (let i = 0; i < base.length; i++) {
      for (const c of ['0', 'x', '\0', '日']) {
        if (base[i] === c) continue;
        seen.add(digest64(base.slice(0, i) + c + base.slice(i + 1)));
      }
    }
    const variants = base.length * 4 - [...base].filter((c) => ['0', 'x', '\0', '日'].includes(c)).length;
    expect(seen.size).toBe(variants + 1);
    expect(digest64('')).not.toBe(digest64('\0'));
    expect(digest64('a')).not.toBe(digest64('a\0'));
  });

  it('keeps its values (fingerprints kept beside a store compare across versions)', () => {
    expect(digest64('creditmeter')).toBe('f4c5a77a9e51653d');
    expect(digest64('')).toBe('488bdcb81aee8d83');
  });
});

describe('Digest64.updateNumber', () => {
  it('changes with any one bit of a number, tells 0 from -0, and keeps its values', () => {
    const f = new Float64Array(1);
    const w = new Uint32Array(f.buffer);
    const base = 1764800000000.5;
    const seen = new Set([new Digest64().update('p').updateNumber(base).hex()]);
    for (let bit = 0; bit < 64; bit++) {
      f[0] = base;
      w[bit >> 5]! ^= 1 << (bit & 31);
      seen.add(new Digest64().update('p').updateNumber(f[0]!).hex());
    }
    expect(seen.size).toBe(65);
    expect(new Digest64().updateNumber(0).hex()).not.toBe(new Digest64().updateNumber(-0).hex());
    // Two numbers are not one: the order and the count matter.
    expect(new Digest64().updateNumber(1).updateNumber(2).hex()).not.toBe(
      new Digest64().updateNumber(2).updateNumber(1).hex(),
    );
    expect(new Digest64().updateNumber(1).hex()).not.toBe(new Digest64().updateNumber(1).updateNumber(0).hex());
    // The same as adding its four 16-bit units as code units.
    f[0] = base;
    const units = String.fromCharCode(...new Uint16Array(f.buffer));
    expect(new Digest64().update('p').updateNumber(base).hex()).toBe(digest64(`p${units}`));
    expect(new Digest64().update('creditmeter').updateNumber(base).hex()).toBe('91672f5fdb30e56c');
  });
});
