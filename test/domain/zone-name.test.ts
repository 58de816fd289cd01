/** A zone given in another case is taken, and shown as IANA spells it. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/app/config.js';
import { canonicalZone } from '../../src/domain/zone.js';
import { useSystemZoneFiles, zoneFileName } from '../../src/app/system-zone.js';

describe('zone names', () => {
  it('are shown as IANA spells them, whatever case they were given in', () => {
    const env = { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent/cfg' };
    expect(resolveConfig({ tz: 'utc' }, env).plan.tz).toBe('UTC');
    expect(resolveConfig({ tz: 'america/new_york' }, env).plan.tz).toBe('America/New_York');
    expect(resolveConfig({ tz: 'Europe/Paris' }, env).plan.tz).toBe('Europe/Paris');
    expect(canonicalZone('Not/AZone')).toBe('Not/AZone');
    // Never another name for the zone, as ICU would give (Asia/Calcutta, America/New_York): the
    // name as given, in its proper case where Intl knows it by that name.
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    // The zone files' own spelling, where the system has them.
    useSystemZoneFiles();
    if (zoneFileName('Asia/Kolkata') !== null) {
      expect(canonicalZone('asia/kolkata')).toBe('Asia/Kolkata');
      expect(canonicalZone('ASIA/KOLKATA')).toBe('Asia/Kolkata');
    }
    expect(canonicalZone('us/eastern').toLowerCase()).toBe('us/eastern');
    expect(canonicalZone('EST5EDT')).toBe('EST5EDT');
  });
});
