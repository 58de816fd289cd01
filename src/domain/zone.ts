/** Time zone names and rules, checked without loading the date library (configuration reads this on every command). */
import { parseTzif, type TzRules } from './tzif.js';

/** The bytes of a zone's TZif file, or null where there is none (see app/system-zone.ts). */
export type ZoneFiles = (name: string) => Uint8Array | null;

let files: ZoneFiles | null = null;
/** A zone's name as its file spells it, for a name given in another case (see app/system-zone.ts). */
let fileName: ((name: string) => string | null) | null = null;
const rules = new Map<string, TzRules | null>();
const known = new Map<string, boolean>();

/**
 * Where zone rules are read from: set once at start-up by the composition root (reading files is
 * not this layer's). Until then, and for a zone without a readable file, Intl answers.
 */
export function useZoneFiles(read: ZoneFiles, nameOf: ((name: string) => string | null) | null = null): void {
  if (files !== null) return;
  files = read;
  fileName = nameOf;
  rules.clear();
}

/** The rules of the IANA zone `name` from its TZif file; null when none can be read. */
export function zoneRules(name: string): TzRules | null {
  if (files === null) return null;
  let r = rules.get(name);
  if (r === undefined) {
    const bytes = files(name);
    r = bytes === null ? null : parseTzif(bytes);
    rules.set(name, r);
  }
  return r;
}

/** True when `tz` is an IANA zone name this runtime knows (as luxon's IANAZone.isValidZone). */
export function isValidZone(tz: string): boolean {
  if (!tz) return false;
  if (zoneRules(tz) !== null) return true;
  let valid = known.get(tz);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz }).format();
      valid = true;
    } catch {
      valid = false;
    }
    known.set(tz, valid);
  }
  return valid;
}

/**
 * A valid zone's name as IANA spells it (`utc` → `UTC`, `asia/kolkata` → `Asia/Kolkata`): Intl takes
 * names in any case, and headers and exports then show the proper one. A name already shaped as
 * IANA's are (each part begins with a capital) and with a zone file by that name is kept as given
 * (the file is read for its offsets anyway). Otherwise the zone files' own spelling, else Intl's
 * (whose data costs a start-up about 20 ms) when it is the same name in another case, never another
 * name for the zone (`Asia/Calcutta` for `Asia/Kolkata`).
 */
export function canonicalZone(tz: string): string {
  // Shaped as IANA's, with a zone file by that name (read for its offsets anyway): as given.
  if (tz.split('/').every((part) => /^[A-Z]/.test(part)) && zoneRules(tz) !== null) return tz;
  const onDisk = fileName?.(tz) ?? null;
  if (onDisk !== null) return onDisk;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz;
  } catch {
    return tz;
  }
}
