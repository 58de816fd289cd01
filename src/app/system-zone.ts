/** The machine's time zone, found without loading Intl's zone data when possible. */
import { readlinkSync } from 'node:fs';

/** The system's IANA zone (falls back to UTC). */
export function systemZone(): string {
  // Intl's answer costs the start-up of its time-zone data (~15 ms); the /etc/localtime
  // link says the same for free, and commands that never touch a zone skip it.
  const named = zoneFromEnvOrLink();
  if (named !== null) return named;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function zoneFromEnvOrLink(): string | null {
  // A TZ that is set is the runtime's zone; the config reads a valid IANA TZ itself, so any other
  // value is left to Intl.
  if (process.env.TZ !== undefined && process.env.TZ !== '') return null;
  try {
    const target = readlinkSync('/etc/localtime');
    const at = target.indexOf('zoneinfo/');
    const name = at >= 0 ? target.slice(at + 'zoneinfo/'.length) : '';
    // UTC by any of its names is luxon's fixed zone, which needs no Intl at all.
    if (UTC_NAMES.has(name)) return 'UTC';
    return IANA_NAME.test(name) ? name : null;
  } catch {
    return null;
  }
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/** An IANA zone name such as Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5 or UTC. */
const IANA_NAME = /^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:\/[A-Za-z0-9_+-]+)*$/;
