/**
 * The one door to luxon: every date creditmeter prints is English, and telling luxon so before
 * its first use spares the lookup of the system locale, which loads Intl's locale data (~25 ms).
 * Importing luxon through this module also means a command that prints no date never loads it.
 */
import { DateTime, IANAZone, Settings } from 'luxon';

Settings.defaultLocale = 'en-US';
Settings.defaultNumberingSystem = 'latn';
Settings.defaultOutputCalendar = 'gregory';

export { DateTime, IANAZone };
