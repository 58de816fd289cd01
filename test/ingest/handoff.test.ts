/** A listing handed over by `ingest`'s short way is taken once, for the same roots and cache file, while fresh. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handDiscovery, takeDiscovery } from '../../src/ingest/handoff.js';
import type { Discovery } from '../../src/ingest/roots.js';

const discovery = (): Discovery => ({
  files: [{ path: '/r/projects/p/a.jsonl', root: '/r', kind: 'transcript' }],
  emptyRoots: [],
  unreadable: 0,
  unreadableExample: null,
});
const stat = { dev: 1, ino: 2, size: 3, mtimeMs: 4 };

afterEach(() => {
  vi.useRealTimers();
  takeDiscovery([], null);
});

describe('discovery hand-over', () => {
  it('is taken once, by a catch-up of the same roots and cache file', () => {
    handDiscovery(['/r'], '/db-dirs.json', discovery(), [stat]);
    expect(takeDiscovery(['/r'], '/db-dirs.json')?.stats).toEqual([stat]);
    expect(takeDiscovery(['/r'], '/db-dirs.json')).toBeNull();
  });

  it('is not taken for other roots, another cache file, or when stale', () => {
    handDiscovery(['/r'], '/db-dirs.json', discovery(), [stat]);
    expect(takeDiscovery(['/other'], '/db-dirs.json')).toBeNull();
    handDiscovery(['/r'], '/db-dirs.json', discovery(), [stat]);
    expect(takeDiscovery(['/r'], null)).toBeNull();
    vi.useFakeTimers({ now: Date.now() });
    handDiscovery(['/r'], null, discovery(), [stat]);
    vi.advanceTimersByTime(5_000);
    expect(takeDiscovery(['/r'], null)).toBeNull();
  });

  it('is not taken when its stats do not match its files', () => {
    handDiscovery(['/r'], null, discovery(), []);
    expect(takeDiscovery(['/r'], null)).toBeNull();
  });
});
