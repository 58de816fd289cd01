import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** creditmeter's own version, from its package.json (works from src/ under tests and from dist/). */
export function appVersion(): string {
  if (cached !== null) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    cached = '0.0.0';
  }
  return cached;
}
