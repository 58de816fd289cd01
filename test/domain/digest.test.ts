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
