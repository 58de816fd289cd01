/** The machine's time zone, found without loading Intl's zone data when possible, and its zone files. */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { useZoneFiles } from '../domain/zone.js';

/** Where the system keeps its zone: the zone file in use, and (Debian) its name. */
export interface ZonePaths {
  localtime: string;
  timezone: string;
}

const SYSTEM_PATHS: ZonePaths = { localtime: '/etc/localtime', timezone: '/etc/timezone' };

/** The system's IANA zone (falls back to UTC). */
export function systemZone(paths: ZonePaths = SYSTEM_PATHS): string {
  // Intl's answer costs the start-up of its time-zone data (~15 ms); the /etc/localtime
  // link says the same for free, and commands that never touch a zone skip it.
  const named = zoneFromEnvOrLink(paths);
  if (named !== null) return named;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The zone the environment or the zone file names, without Intl; null when neither says. */
export function zoneFromEnvOrLink(paths: ZonePaths = SYSTEM_PATHS): string | null {
  // A TZ that is set is the runtime's zone; the config reads a valid IANA TZ itself, so any other
  // value is left to Intl.
  if (process.env.TZ !== undefined && process.env.TZ !== '') return null;
  return zoneOfFile(paths);
}

/**
 * The zone a zone file names (`paths.localtime`, or any zone file's path): the zone its link points
 * at, or (a copy) the one Debian names beside it when that zone's file holds the same bytes; null
 * when neither says.
 */
export function zoneOfFile(paths: ZonePaths): string | null {
  let name: string | null;
  try {
    const target = readlinkSync(paths.localtime);
    const at = target.indexOf('zoneinfo/');
    name = at >= 0 ? target.slice(at + 'zoneinfo/'.length) : '';
  } catch {
    // Not a link (container images often copy the file): the name Debian keeps beside it, if
    // that zone's file holds the same bytes.
    name = copiedZoneName(paths);
  }
  if (name === null) return null;
  // UTC by any of its names is luxon's fixed zone, which needs no Intl at all.
  if (UTC_NAMES.has(name)) return 'UTC';
  return IANA_NAME.test(name) ? name : null;
}

/** The zone named in /etc/timezone when /etc/localtime is a copy of that zone's file, else null. */
function copiedZoneName(paths: ZonePaths): string | null {
  try {
    const name = readFileSync(paths.timezone, 'latin1').trim();
    if (!IANA_NAME.test(name)) return null;
    const own = readFileSync(paths.localtime);
    const named = readZoneFile(name);
    return named !== null && Buffer.compare(own, named) === 0 ? name : null;
  } catch {
    return null;
  }
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/** An IANA zone name such as Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5 or UTC. */
const IANA_NAME = /^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:\/[A-Za-z0-9_+-]+)*$/;

/** Where TZif files live: $TZDIR, then the usual places of the system's zoneinfo database. */
const ZONE_DIRS = ['/usr/share/zoneinfo', '/usr/lib/zoneinfo', '/usr/share/lib/zoneinfo'];
/** Files of the zoneinfo folder that are not zones (left to Intl, which knows no such names). */
const NOT_ZONES = new Set(['posixrules', 'localtime']);
/** A zone file is a few KB; anything much larger is not one. */
const MAX_ZONE_FILE_BYTES = 256 * 1024;

/** The bytes of the TZif file of the IANA zone `name`, or null (no such file, not a plain name). */
export function readZoneFile(name: string): Uint8Array | null {
  if (!IANA_NAME.test(name) || NOT_ZONES.has(name)) return null;
  const dirs = process.env.TZDIR ? [process.env.TZDIR, ...ZONE_DIRS] : ZONE_DIRS;
  for (const dir of dirs) {
    let fd: number;
    try {
      fd = openSync(join(dir, name), 'r');
    } catch {
      continue;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_ZONE_FILE_BYTES) return null;
      const bytes = Buffer.allocUnsafe(size);
      return readSync(fd, bytes, 0, size, 0) === size ? bytes : null;
    } catch {
      return null; // a folder (EISDIR), or unreadable
    } finally {
      closeSync(fd);
    }
  }
  return null;
}

/**
 * The zone file's own name for `name` given in another case (`asia/kolkata` → `Asia/Kolkata`),
 * from the zone folders' listings; null when none matches.
 */
export function zoneFileName(name: string): string | null {
  if (!IANA_NAME.test(name)) return null;
  const dirs = process.env.TZDIR ? [process.env.TZDIR, ...ZONE_DIRS] : ZONE_DIRS;
  for (const dir of dirs) {
    let at = dir;
    const parts: string[] = [];
    for (const part of name.split('/')) {
      let entries: string[];
      try {
        entries = readdirSync(at);
      } catch {
        break;
      }
      const found = entries.find((e) => e.toLowerCase() === part.toLowerCase());
      if (found === undefined) break;
      parts.push(found);
      at = join(at, found);
    }
    if (parts.length === name.split('/').length && readZoneFile(parts.join('/')) !== null) return parts.join('/');
  }
  return null;
}

/** Lets zone rules and names come from the system's zone files (domain/zone.ts). */
export function useSystemZoneFiles(): void {
  useZoneFiles(readZoneFile, zoneFileName);
}
