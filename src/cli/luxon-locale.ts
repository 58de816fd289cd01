/**
 * Every date creditmeter prints is English. Telling luxon so up front spares each command the
 * lookup of the system locale, which loads Intl's locale data (~25 ms) before the first date.
 */
import { Settings } from 'luxon';

Settings.defaultLocale = 'en-US';
Settings.defaultNumberingSystem = 'latn';
Settings.defaultOutputCalendar = 'gregory';
