import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PLAN_NAMES, type PlanName, type PlanSettings, type SeatCredit } from '../domain/status-types.js';
import type { RequestClass } from '../domain/types.js';
import { canonicalZone, isValidZone } from '../domain/zone.js';
import { formatInt, wholeNumber } from '../domain/format.js';
import { systemZone, useSystemZoneFiles, zoneOfFile } from './system-zone.js';
import { throughLinks } from '../store/folders.js';
import { DEFAULT_ENTRYPOINT_CLASSES } from '../domain/classify.js';

/** A mistake the user made in flags or config: one sentence, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The config file, as a user writes it (every field optional). */
export interface ConfigFile {
  plan?: PlanName;
  seats?: number;
  credit?: number;
  cycleStartDay?: number;
  tz?: string;
  usageCredits?: boolean;
  overageCap?: number | null;
  countUnknown?: boolean;
  /** Team plans: one credit for all seats (pooled, the default) or each seat its own. */
  seatCredit?: SeatCredit;
  claudeDirs?: string[];
  db?: string;
  prices?: string;
  exportDir?: string;
  bell?: boolean;
  /** Entrypoint value -> class, merged over the built-in mapping. */
  classes?: Record<string, RequestClass>;
}

/** Global flags, as parsed by the CLI (strings as typed). */
export interface GlobalFlags {
  claudeDir?: string[];
  db?: string;
  tz?: string;
  prices?: string;
  config?: string;
  plan?: string;
  seats?: string;
  credit?: string;
  cycleStartDay?: string;
  usageCredits?: string;
  overageCap?: string;
}

export interface ResolvedConfig {
  configPath: string;
  configFound: boolean;
  /** Config roots to read, in order; `rootsExplicit` false when they are the defaults. */
  roots: string[];
  rootsExplicit: boolean;
  dbPath: string;
  /** What chose a store path other than the default ('--db', '$CREDITMETER_DB', 'the config file'); null for the default, whose folders are made when missing. */
  dbChosenBy: string | null;
  pricesPath: string | null;
  exportDir: string;
  bell: boolean;
  classes: Record<string, RequestClass>;
  plan: PlanSettings;
}

export const PLAN_CREDIT: Record<Exclude<PlanName, 'custom'>, number> = {
  pro: 20,
  max5x: 100,
  max20x: 200,
  team: 20,
  'team-premium': 100,
};

type Env = Record<string, string | undefined>;

/** `~/.local/share/creditmeter` (or `$XDG_DATA_HOME/creditmeter`). */
export function dataDir(env: Env = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'creditmeter');
}

/** The words that lift an overage cap, on the flag and in `config set overage-cap`. */
export const isNoCap = (value: string): boolean => ['none', 'off', 'null'].includes(value.trim().toLowerCase());

/** The store's file when no flag, variable or config file names one. */
export function defaultDbPath(env: Env = process.env): string {
  return join(dataDir(env), 'usage.db');
}

/** `~/.config/creditmeter/config.json` (or under `$XDG_CONFIG_HOME`). */
export function defaultConfigPath(env: Env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'creditmeter', 'config.json');
}

/** Reads and validates the config file; a missing file is an empty config. */
export function readConfigFile(path: string, quiet = false): { config: ConfigFile; found: boolean } {
  if (!existsSync(path)) return { config: {}, found: false };
  let text: string;
  try {
    // A byte-order mark (as some Windows editors save UTF-8) is no part of the JSON.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EISDIR'
        ? `The config file ${path} is a folder: give --config (or $CREDITMETER_CONFIG) a file path.`
        : `The config file ${path} cannot be read (${code ?? (err as Error).message}).`,
    );
  }
  // An empty file holds no settings (`--config /dev/null`: the defaults and the environment).
  if (text.trim() === '') return { config: {}, found: true };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`The config file ${path} is not valid JSON (${(err as Error).message}).`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`The config file ${path} must hold a JSON object.`);
  }
  const config = validateConfig(raw as Record<string, unknown>, path);
  // A misspelt setting ("cycleStartday") would otherwise be dropped without a word.
  const unknown = Object.keys(raw).filter((k) => !(CONFIG_FILE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0 && !quiet && !warnedUnknown.has(path)) {
    warnedUnknown.add(path);
    process.stderr.write(
      `creditmeter: ${path}: ${unknown.map((k) => JSON.stringify(k)).join(', ')} ${unknown.length === 1 ? 'is no setting' : 'are no settings'}, ignored (settings: ${CONFIG_FILE_KEYS.join(', ')}).\n`,
    );
  }
  return { config, found: true };
}

/** Every key a config file may hold (ConfigFile's fields), in the order `config show` lists them. */
export const CONFIG_FILE_KEYS = [
  'plan',
  'seats',
  'credit',
  'cycleStartDay',
  'tz',
  'usageCredits',
  'overageCap',
  'countUnknown',
  'seatCredit',
  'bell',
  'exportDir',
  'db',
  'claudeDirs',
  'prices',
  'classes',
] as const satisfies readonly (keyof ConfigFile)[];

/**
 * The IANA zone a TZ value names: a name (`Europe/Berlin`, or `:Europe/Berlin` as POSIX writes
 * it) or the path of its zone file (`/usr/share/zoneinfo/Europe/Berlin`); undefined otherwise.
 */
function zoneOfTz(tz: string | undefined): string | undefined {
  if (tz === undefined || tz === '') return undefined;
  const name = zoneFileName(tz);
  return name !== '' && isValidZone(name) ? name : undefined;
}

/**
 * The zone a zone file's path names (`/usr/share/zoneinfo/Europe/Berlin`, also with TZ's leading
 * colon: `Europe/Berlin`); any other value as given.
 */
function zoneFileName(tz: string): string {
  const value = tz.startsWith(':') ? tz.slice(1) : tz;
  if (!value.startsWith('/')) return value;
  // `posix/` and `right/` hold the same zones (the latter counting leap seconds).
  const named = (path: string): string | null => {
    const at = path.lastIndexOf('zoneinfo/');
    return at >= 0 ? path.slice(at + 'zoneinfo/'.length).replace(/^(?:posix|right)\//, '') : null;
  };
  const direct = named(value);
  if (direct !== null) return direct;
  // A link to a zone file (`/etc/localtime`), or a copy of one that Debian names beside it.
  let real: string;
  try {
    real = realpathSync(value);
  } catch {
    return value;
  }
  return named(real) ?? zoneOfFile({ localtime: value, timezone: '/etc/timezone' }) ?? value;
}

/** Config files whose unknown keys were named already in this process. */
const warnedUnknown = new Set<string>();
/** TZ values said to name no zone, in this process. */
const warnedTz = new Set<string>();

/** A POSIX TZ of UTC itself (`UTC0`, `GMT+0`, `<UTC>0`): the runtime's UTC is then what it asks. */
const UTC_POSIX = /^(?:<[^>]*>|[A-Za-z]{3,})[+-]?0{1,2}(?::00){0,2}$/;

/**
 * Whether a TZ that zoneOfTz took no zone from leaves the commands on a zone it did not ask for: a
 * name or a zone file's path that names none (a typo), or any other value (a POSIX rule such as
 * `CET-1`, or no rule at all) the runtime fell back to UTC on, or a path no zone is read from
 * that it fell back to UTC on too. A POSIX TZ of UTC asks for UTC.
 */
function tzIgnored(tz: string): boolean {
  const value = tz.startsWith(':') ? tz.slice(1) : tz;
  if (/^[A-Za-z]+\/[A-Za-z_]/.test(value) || value.includes('zoneinfo/')) return true;
  if (!value.startsWith('/') && (UTC_POSIX.test(value) || value === 'UTC' || value === 'GMT')) return false;
  // A POSIX rule, or a path no zone is read from: the runtime's own reading of it is what is used.
  return systemZone() === 'UTC';
}

/** Validates a config object as read from `path` (named in errors); throws UsageError naming the bad field. */
export function validateConfig(
  raw: Record<string, unknown>,
  path: string,
  sentence: (field: string, want: string) => string = (field, want) => `In ${path}, "${field}" must be ${want}.`,
): ConfigFile {
  const bad = (field: string, want: string): never => {
    throw new UsageError(sentence(field, want));
  };
  const out: ConfigFile = {};
  if (raw.plan !== undefined)
    out.plan =
      (typeof raw.plan === 'string' ? parsePlan(raw.plan) : null) ?? bad('plan', `one of ${PLAN_NAMES.join(', ')}`);
  if (raw.seats !== undefined) out.seats = positiveInt(raw.seats) ?? bad('seats', SEATS_WORDS);
  if (raw.credit !== undefined)
    out.credit = dollars(raw.credit, true) ?? bad('credit', 'a dollar amount in whole cents up to 1,000,000,000');
  if (raw.cycleStartDay !== undefined)
    out.cycleStartDay = dayOfMonth(raw.cycleStartDay) ?? bad('cycleStartDay', 'a day from 1 to 31');
  if (raw.tz !== undefined)
    out.tz =
      typeof raw.tz === 'string' && isValidZone(raw.tz) ? raw.tz : bad('tz', 'an IANA time zone such as Europe/Berlin');
  if (raw.usageCredits !== undefined)
    out.usageCredits = typeof raw.usageCredits === 'boolean' ? raw.usageCredits : bad('usageCredits', 'true or false');
  if (raw.overageCap !== undefined)
    out.overageCap =
      raw.overageCap === null
        ? null
        : (dollars(raw.overageCap, true) ??
          bad('overageCap', 'a dollar amount in whole cents up to 1,000,000,000, or null'));
  if (raw.countUnknown !== undefined)
    out.countUnknown = typeof raw.countUnknown === 'boolean' ? raw.countUnknown : bad('countUnknown', 'true or false');
  if (raw.seatCredit !== undefined)
    out.seatCredit =
      raw.seatCredit === 'pooled' || raw.seatCredit === 'per-seat'
        ? raw.seatCredit
        : bad('seatCredit', 'pooled or per-seat');
  if (raw.bell !== undefined) out.bell = typeof raw.bell === 'boolean' ? raw.bell : bad('bell', 'true or false');
  for (const key of ['db', 'prices', 'exportDir'] as const) {
    if (raw[key] !== undefined) out[key] = typeof raw[key] === 'string' ? raw[key] : bad(key, 'a path');
  }
  if (raw.claudeDirs !== undefined) {
    const dirs = raw.claudeDirs;
    out.claudeDirs =
      Array.isArray(dirs) && dirs.every((d) => typeof d === 'string') ? dirs : bad('claudeDirs', 'a list of paths');
  }
  if (raw.classes !== undefined) {
    const classes = raw.classes;
    if (typeof classes !== 'object' || classes === null || Array.isArray(classes))
      bad('classes', 'an object of entrypoint -> class');
    const ok = Object.values(classes as object).every(
      (c) => c === 'programmatic' || c === 'interactive' || c === 'unknown',
    );
    out.classes = ok
      ? (classes as Record<string, RequestClass>)
      : bad('classes', 'an object whose values are programmatic, interactive or unknown');
  }
  return out;
}

export function parsePlan(v: string): PlanName | null {
  return (PLAN_NAMES as readonly string[]).includes(v) ? (v as PlanName) : null;
}

/**
 * The roots without a second name for one folder (`~/.claude` and `~/.claude/`, a link to it, a
 * relative path): each would be read again, its files counted twice in the coverage. The first
 * name given stays, so the stored file paths do not change.
 */
function distinctRoots(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  return roots.filter((root) => {
    let real: string;
    try {
      real = realpathSync(root);
    } catch {
      real = resolve(root);
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/**
 * A flag given an empty value (`--config "$UNSET"`) is a mistake, not the default: each one would
 * otherwise fall back to its default, or name an empty file, without a word.
 */
function refuseEmptyFlags(flags: GlobalFlags): void {
  for (const key of GLOBAL_FLAG_KEYS) {
    const value = flags[key];
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.trim() === ''))
      throw new UsageError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs a value.`);
  }
}

/**
 * The global flags (a command's own options ride along in the same object: they are left alone),
 * every one of them: a flag added to GlobalFlags and not here does not compile.
 */
const GLOBAL_FLAG_KEYS = Object.keys({
  claudeDir: 0,
  db: 0,
  tz: 0,
  prices: 0,
  config: 0,
  plan: 0,
  seats: 0,
  credit: 0,
  cycleStartDay: 0,
  usageCredits: 0,
  overageCap: 0,
} satisfies Record<keyof GlobalFlags, 0>) as (keyof GlobalFlags)[];

/** The largest dollar amount taken for a credit or a cap (larger ones are typing slips, and overflow sums). */
const MAX_USD = 1e9;

/** Most seats a team plan is taken with. */
const MAX_SEATS = 100_000;

/**
 * A whole number from 1 to MAX_SEATS; null otherwise. Text is read as whole numbers are written
 * (not 0x10, 1e1, +3 or 3.0, which Number would also read), as dollars are.
 */
function positiveInt(v: unknown): number | null {
  const n = typeof v === 'string' ? wholeNumber(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SEATS ? n : null;
}

/** What `seats` takes, in its messages. */
const SEATS_WORDS = `a whole number from 1 to ${formatInt(MAX_SEATS)}`;

/**
 * A dollar amount from 0 to MAX_USD in whole cents (what a plan or a cap can be: $0.001 would read
 * as $0.00 beside a percentage of it in the hundreds of thousands); null otherwise. Text is read as
 * dollars and cents are written (not 0x10 or 1e3, which Number would also read). A number from
 * the config file with a fraction of a cent (written by an earlier version, which took any) is
 * taken to the nearest cent instead: refusing it would stop every command.
 */
export function dollars(v: unknown, fileNumber = false): number | null {
  if (typeof v === 'string' && !/^\s*(\d+(\.\d{0,2})?|\.\d{1,2})\s*$/.test(v)) return null;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_USD) return null;
  const cents = Math.round(n * 100) / 100;
  return cents === n || (fileNumber && typeof v === 'number') ? cents : null;
}

function dayOfMonth(v: unknown): number | null {
  const n = positiveInt(v);
  return n !== null && n <= 31 ? n : null;
}

/** The words an on/off setting takes, as its messages list them. */
export const ON_OFF_WORDS = 'on or off (or true/false, yes/no, 1/0)';

/** An on/off setting's value from its text (`on`, `true`, `yes`, `1` and their opposites); null for other text. */
export function onOff(v: string): boolean | null {
  const s = v.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(s)) return true;
  if (['off', 'false', 'no', '0'].includes(s)) return false;
  return null;
}

/** Config roots: flags, else `$CLAUDE_CONFIG_DIR` (comma list, replaces defaults), else config, else defaults. */
export function resolveRoots(flags: GlobalFlags, file: ConfigFile, env: Env): { roots: string[]; explicit: boolean } {
  if (flags.claudeDir && flags.claudeDir.length > 0) return { roots: flags.claudeDir, explicit: true };
  const fromEnv =
    env.CLAUDE_CONFIG_DIR?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  if (fromEnv.length > 0) return { roots: fromEnv, explicit: true };
  if (file.claudeDirs && file.claudeDirs.length > 0) return { roots: file.claudeDirs, explicit: true };
  const home = homedir();
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  return { roots: [join(home, '.claude'), join(xdg, 'claude')].filter((d) => existsSync(d)), explicit: false };
}

/**
 * Merges defaults < config file < environment < flags into one validated configuration.
 * Throws UsageError (exit 2) for any bad value, naming it.
 */
export function resolveConfig(
  flags: GlobalFlags,
  env: Env = process.env,
  options: { missingRoots?: string[]; quiet?: boolean } = {},
): ResolvedConfig {
  useSystemZoneFiles();
  refuseEmptyFlags(flags);
  const configPath = flags.config ?? env.CREDITMETER_CONFIG ?? defaultConfigPath(env);
  if (flags.config && !existsSync(flags.config))
    throw new UsageError(`The config file ${flags.config} does not exist.`);
  const { config: file, found } = readConfigFile(configPath, options.quiet);

  const tzSources: Array<[string | undefined, string]> = [
    [flags.tz, '--tz'],
    [env.CREDITMETER_TZ, 'CREDITMETER_TZ'],
    [file.tz, `"tz" in ${configPath}`],
    // TZ may hold a POSIX value (":/etc/localtime", "EST5EDT"): only an IANA zone is taken from it,
    // by its name or by its zone file's path.
    [zoneOfTz(env.TZ), 'TZ'],
  ];
  const [tzTyped, tzFrom] = tzSources.find(([v]) => v !== undefined && v !== '') ?? [undefined, ''];
  // A zone file's path is taken by the zone it names, from each source as from TZ.
  const tzGiven = tzTyped === undefined ? undefined : zoneFileName(tzTyped);
  // A TZ shaped like a zone name, or a zone file's path, that names none (a typo) would leave the
  // zone to the runtime's UTC without a word: said once, as the zone the commands then use. (With
  // no zone given, TZ named none: zoneOfTz would have given it.)
  if (tzGiven === undefined && env.TZ && !options.quiet && !warnedTz.has(env.TZ) && tzIgnored(env.TZ)) {
    warnedTz.add(env.TZ);
    process.stderr.write(
      `creditmeter: TZ=${env.TZ} names no time zone creditmeter reads (an IANA name, or its zone file); the system's zone (${systemZone()}) is used. Set an IANA name such as America/New_York, or --tz.\n`,
    );
  }
  // The system's own zone needs no check (and checking costs loading Intl's zone data).
  if (tzGiven !== undefined && !isValidZone(tzGiven))
    throw new UsageError(
      `Unknown time zone "${tzTyped}" (from ${tzFrom || 'the system'}): use an IANA name such as America/New_York.`,
    );
  const tz = tzGiven === undefined ? systemZone() : canonicalZone(tzGiven);

  const planRaw = flags.plan ?? env.CREDITMETER_PLAN;
  const plan = planRaw !== undefined ? parsePlan(planRaw) : (file.plan ?? null);
  if (planRaw !== undefined && plan === null)
    throw new UsageError(
      `Unknown plan "${planRaw}" (from ${flags.plan !== undefined ? '--plan' : 'CREDITMETER_PLAN'}): use one of ${PLAN_NAMES.join(', ')}.`,
    );
  const planName: PlanName = plan ?? 'pro';

  const teamPlan = planName === 'team' || planName === 'team-premium';
  const seatsGiven = flags.seats !== undefined ? positiveInt(flags.seats) : (file.seats ?? 1);
  if (seatsGiven === null) throw new UsageError(`--seats must be ${SEATS_WORDS}, not "${flags.seats}".`);
  if (flags.seats !== undefined && seatsGiven > 1 && !teamPlan && planName !== 'custom') {
    throw new UsageError(`--seats applies to the team plans (team, team-premium); the ${planName} plan has one seat.`);
  }
  // Seats pool credit only on team plans; a seats value left in the config for another plan is ignored.
  const seats = teamPlan ? seatsGiven : 1;
  const customCredit = flags.credit !== undefined ? dollars(flags.credit) : (file.credit ?? null);
  if (flags.credit !== undefined && customCredit === null)
    throw new UsageError(
      `--credit must be a dollar amount in whole cents from 0 to 1,000,000,000, such as 100, not "${flags.credit}".`,
    );
  let credit: number;
  if (planName === 'custom') {
    if (customCredit === null)
      throw new UsageError(`The custom plan needs a credit: --credit USD or "credit" in the config.`);
    credit = customCredit;
  } else {
    credit = customCredit ?? PLAN_CREDIT[planName] * seats;
  }

  const cycleStartDay = flags.cycleStartDay !== undefined ? dayOfMonth(flags.cycleStartDay) : (file.cycleStartDay ?? 1);
  if (cycleStartDay === null)
    throw new UsageError(`--cycle-start-day must be a day from 1 to 31, not "${flags.cycleStartDay}".`);
  const usageCredits = flags.usageCredits !== undefined ? onOff(flags.usageCredits) : (file.usageCredits ?? false);
  if (usageCredits === null)
    throw new UsageError(`--usage-credits must be ${ON_OFF_WORDS}, not "${flags.usageCredits}".`);
  const noCap = flags.overageCap !== undefined && isNoCap(flags.overageCap);
  const overageCap =
    flags.overageCap === undefined ? (file.overageCap ?? null) : noCap ? null : dollars(flags.overageCap);
  if (flags.overageCap !== undefined && !noCap && overageCap === null)
    throw new UsageError(
      `--overage-cap must be a dollar amount in whole cents from 0 to 1,000,000,000, such as 50, or none, not "${flags.overageCap}".`,
    );

  const dbPath = flags.db ?? env.CREDITMETER_DB ?? file.db ?? defaultDbPath(env);
  const dbChosenBy =
    flags.db !== undefined
      ? '--db'
      : env.CREDITMETER_DB !== undefined
        ? '$CREDITMETER_DB'
        : file.db !== undefined
          ? 'the config file'
          : null;
  const { roots, explicit } = resolveRoots(flags, file, env);
  // A named root that is not there is a typo or a missing mount: say so, rather than report $0.
  if (explicit) {
    const source =
      flags.claudeDir && flags.claudeDir.length > 0
        ? '--claude-dir'
        : env.CLAUDE_CONFIG_DIR?.trim()
          ? 'CLAUDE_CONFIG_DIR'
          : `"claudeDirs" in ${configPath}`;
    for (const root of roots) {
      // `config get` and `config show` list such folders rather than fail: they are how one looks.
      if (!existsSync(root) && options.missingRoots !== undefined) {
        options.missingRoots.push(root);
        continue;
      }
      if (!existsSync(root)) throw new UsageError(`The Claude config folder ${root} (from ${source}) does not exist.`);
      if (!statSync(root).isDirectory())
        throw new UsageError(
          `${root} (from ${source}) is not a folder: pass a Claude config folder such as ~/.claude.`,
        );
    }
  }
  return {
    configPath,
    configFound: found,
    roots: distinctRoots(roots),
    rootsExplicit: explicit,
    // A store named through a symbolic link is the file the link leads to: SQLite keeps its -wal and
    // -shm beside that file, and the store's stamp, its watch and its side files must look there.
    dbPath: dbPath === ':memory:' ? dbPath : throughLinks(dbPath),
    dbChosenBy: resolve(dbPath) === resolve(defaultDbPath(env)) ? null : dbChosenBy,
    pricesPath: flags.prices ?? file.prices ?? null,
    exportDir: file.exportDir ?? join(dataDir(env), 'exports'),
    bell: file.bell ?? true,
    classes: { ...DEFAULT_ENTRYPOINT_CLASSES, ...(file.classes ?? {}) },
    plan: {
      plan: planName,
      seats,
      credit,
      cycleStartDay,
      tz,
      usageCredits,
      overageCap,
      countUnknown: file.countUnknown ?? false,
      seatCredit: teamPlan ? (file.seatCredit ?? 'pooled') : 'pooled',
      assumed: plan === null && flags.credit === undefined,
    },
  };
}
