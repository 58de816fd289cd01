import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultExportName,
  FileExistsError,
  writeFileAtomic,
  writeUniqueAtomic,
} from '../../src/output/export-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the whole content and leaves no temp file', () => {
    const path = join(dir, 'a.json');
    const big = 'x'.repeat(3_000_000);
    writeFileAtomic(path, big, false);
    expect(readFileSync(path, 'utf8')).toBe(big);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('refuses to replace an existing file without overwrite, leaving it untouched', () => {
    const path = join(dir, 'a.json');
    writeFileSync(path, 'old');
    expect(() => writeFileAtomic(path, 'new', false)).toThrow(FileExistsError);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('replaces it with overwrite', () => {
    const path = join(dir, 'a.json');
    writeFileSync(path, 'old');
    writeFileAtomic(path, 'new', true);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('cleans up when the target cannot be written', () => {
    const target = join(dir, 'sub');
    writeFileSync(join(dir, 'keep'), '');
    expect(() => writeFileAtomic(join(target, 'x.json'), 'x', false)).toThrow();
    expect(readdirSync(dir)).toEqual(['keep']);
  });
});

describe('default names', () => {
  it('names the file after the cycle start and the local time', () => {
    const ms = Date.parse('2026-08-25T23:30:05Z');
    expect(defaultExportName('2026-08-15', ms, 'UTC', 'html')).toBe('creditmeter-2026-08-15-20260825-233005.html');
    expect(defaultExportName('2026-08-15', ms, 'Pacific/Kiritimati', 'csv')).toBe(
      'creditmeter-2026-08-15-20260826-133005.csv',
    );
  });

  it('makes taken names unique instead of replacing them', () => {
    const first = writeUniqueAtomic(dir, 'snap.md', 'one');
    const second = writeUniqueAtomic(dir, 'snap.md', 'two');
    const third = writeUniqueAtomic(dir, 'snap.md', 'three');
    expect([first, second, third].map((p) => p.slice(dir.length + 1))).toEqual(['snap.md', 'snap-2.md', 'snap-3.md']);
    expect(readFileSync(first, 'utf8')).toBe('one');
    expect(readFileSync(third, 'utf8')).toBe('three');
    expect(readdirSync(dir).sort()).toEqual(['snap-2.md', 'snap-3.md', 'snap.md']);
  });
});
