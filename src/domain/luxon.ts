/**
 * The one door to luxon: every date creditmeter prints is English, and telling luxon so before
 * its first use spares the lookup of the system locale, which loads Intl's locale data (~25 ms).
 * Importing luxon through this module also means a command that prints no date never loads it.
 *
 * Named zones take their offsets from the zone's TZif file where one can be read (zone.ts,
 * tzif.ts), so no Intl formatter is made to compute them: luxon's IANAZone asks Intl for each
 * offset, and Intl's first time-zone formatter costs about 22 ms. Every IANA zone luxon makes
 * comes through IANAZone.create, which is therefore asked first for such a zone; a name with no
 * readable file (another system, a name only Intl knows) stays luxon's own IANAZone.
 */
import { DateTime, IANAZone, Settings, Zone, type ZoneOffsetOptions } from 'luxon';
import { zoneRules } from './zone.js';
import { tzAt, type TzRules } from './tzif.js';

Settings.defaultLocale = 'en-US';
Settings.defaultNumberingSystem = 'latn';
Settings.defaultOutputCalendar = 'gregory';

/** luxon's own IANA zones (offsets from Intl). */
const ianaCreate = IANAZone.create.bind(IANAZone);

/** `+05:30`, `+5:30` or `+0530`, as luxon formats an offset in minutes. */
function formatOffset(minutes: number, format: 'narrow' | 'short' | 'techie'): string {
  const hours = Math.trunc(Math.abs(minutes / 60));
  const mins = Math.trunc(Math.abs(minutes % 60));
  const sign = minutes >= 0 ? '+' : '-';
  const hh = String(hours).padStart(2, '0');
  const mm = String(mins).padStart(2, '0');
  if (format === 'narrow') return `${sign}${hours}${mins > 0 ? `:${mins}` : ''}`;
  if (format === 'techie') return `${sign}${hh}${mm}`;
  return `${sign}${hh}:${mm}`;
}

/** An IANA zone whose offsets come from its TZif rules. Luxon sees an "iana" zone of that name. */
export class RulesZone extends Zone {
  /** As luxon's IANAZone has it (luxon reads it of a zone IANAZone.create returns). */
  readonly valid = true;

  constructor(
    private readonly zoneName: string,
    private readonly rules: TzRules,
  ) {
    super();
  }

  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.zoneName;
  }

  get ianaName(): string {
    return this.zoneName;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): true {
    return true;
  }

  /** The abbreviation (EST); a long name (Eastern Standard Time) only Intl knows. */
  override offsetName(ts: number, options?: ZoneOffsetOptions): string {
    if (options?.format === 'long') return ianaCreate(this.zoneName).offsetName(ts, options) ?? '';
    return tzAt(this.rules, ts).abbr;
  }

  override formatOffset(ts: number, format: 'narrow' | 'short' | 'techie'): string {
    return formatOffset(this.offset(ts), format);
  }

  override offset(ts: number): number {
    return tzAt(this.rules, ts).offset / 60;
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.zoneName;
  }
}

const made = new Map<string, RulesZone>();
IANAZone.create = (name: string) => {
  let zone = made.get(name);
  if (zone === undefined) {
    const rules = zoneRules(name);
    if (rules === null) return ianaCreate(name);
    zone = new RulesZone(name, rules);
    made.set(name, zone);
  }
  return zone;
};

export { DateTime, IANAZone };
