/** Time zone names, checked without loading the date library (configuration reads this on every command). */

const known = new Map<string, boolean>();

/** True when `tz` is an IANA zone name this runtime knows (as luxon's IANAZone.isValidZone). */
export function isValidZone(tz: string): boolean {
  if (!tz) return false;
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
