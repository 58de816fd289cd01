import { readFileSync } from 'node:fs';

let cached: string | null = null;

/**
 * creditmeter's own version, from its package.json: two folders up from src/app under tests and
 * from the bundle's dist/chunks, three from tsc's dist/lib/app (dist/ holds a package.json of its
 * own, which only says how its files load).
 */
export function appVersion(): string {
  if (cached !== null) return cached;
  cached = '0.0.0';
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'creditmeter' && typeof pkg.version === 'string') {
        cached = pkg.version;
        break;
      }
    } catch {
      // not there: the next folder up
    }
  }
  return cached;
}
