import type { Command } from 'commander';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { terminalColumns, writeStdout } from '../cli/stdout.js';
import { isFolder, makeFolders, specialFileKind, throughLinks } from '../store/folders.js';
import { loadPriceTable } from '../app/prices.js';
import { wholeNumber } from '../domain/format.js';
import {
  defaultConfigPath,
  dollars,
  CONFIG_FILE_KEYS,
  isNoCap,
  onOff,
  ON_OFF_WORDS,
  readConfigFile,
  resolveConfig,
  UsageError,
  validateConfig,
  type ConfigFile,
  type GlobalFlags,
} from '../app/config.js';

/** The keys `config set/get` accept: every key of the file (parsers from the typed string below). */
const KEYS = CONFIG_FILE_KEYS;
type Key = (typeof KEYS)[number];

/** `cycle-start-day` and `cycleStartDay` both name the same key. */
export function configKey(name: string): Key {
  const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const key = KEYS.find((k) => k.toLowerCase() === camel.toLowerCase());
  if (key === undefined) throw new UsageError(`Unknown config key "${name}": use one of ${KEYS.join(', ')}.`);
  return key;
}

function onOffValue(key: string, v: string): boolean {
  const value = onOff(v);
  if (value === null)
    throw new UsageError(`${key} must be ${ON_OFF_WORDS}, not "${v}"; the config file was not changed.`);
  return value;
}

/** Turns the typed value into the JSON value stored for `key` (validated later as a whole file). */
export function parseConfigValue(key: Key, value: string): unknown {
  switch (key) {
    case 'seats':
    case 'cycleStartDay':
      // Only as whole numbers are written: `0x10` or `1e1` stays text, and is refused as such.
      return wholeNumber(value) ?? value;
    // Dollars as typed, checked as the flag's are (whole cents; a file's own numbers are rounded).
    case 'credit':
      return dollars(value) ?? value;
    case 'overageCap':
      return value.trim() === '' || isNoCap(value) ? null : (dollars(value) ?? value);
    case 'usageCredits':
    case 'countUnknown':
    case 'bell':
      return onOffValue(key, value);
    case 'exportDir':
    case 'db':
      return resolve(value);
    // `none` (or nothing) clears it: the bundled table alone.
    case 'prices':
      return value.trim() === '' || value.trim().toLowerCase() === 'none' ? null : resolve(value);
    case 'classes':
      // A JSON object, as in the file: {"cli":"programmatic"}.
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    case 'claudeDirs':
      // A JSON list, as in the file, or folders separated by commas.
      if (value.trim().startsWith('[')) {
        try {
          const list = JSON.parse(value) as unknown;
          if (Array.isArray(list)) return (list as unknown[]).map((p) => (typeof p === 'string' ? resolve(p) : p));
        } catch {
          // Taken as the comma form below.
        }
      }
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((p) => resolve(p));
    default:
      return value;
  }
}

/** Where `config` reads and writes: --config, else $CREDITMETER_CONFIG, else the default path. */
export function configFilePath(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): string {
  return flags.config ?? env.CREDITMETER_CONFIG ?? defaultConfigPath(env);
}

function readRaw(path: string, forWriting = true): Record<string, unknown> {
  if (!existsSync(path)) return {};
  // Read only (show): an empty device such as /dev/null holds no settings, as for every command.
  if (!forWriting && !statSync(path).isFile() && !statSync(path).isDirectory()) return {};
  // Written by replacing it: only a plain file can be (not /dev/null, a pipe or a folder).
  if (!statSync(path).isFile())
    throw new UsageError(`The config file ${path} is not a plain file; choose another place with --config.`);
  try {
    const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') return {};
    const raw: unknown = JSON.parse(text);
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
  } catch {
    // Reported below in one sentence.
  }
  throw new UsageError(`The config file ${path} is not a JSON object; fix or delete it first.`);
}

/** Sets one key in the config file (creating it), validating the whole file before writing it. */
export function setConfigValue(path: string, name: string, value: string): ConfigFile {
  const key = configKey(name);
  const parsed = parseConfigValue(key, value);
  // A cleared price file leaves the key out of the file (the bundled table alone).
  if (key === 'prices' && parsed === null) {
    const { prices: _cleared, ...rest } = readRaw(path);
    return writeConfig(path, rest);
  }
  // The typed value alone first: its mistake is named as typed, and nothing is written.
  validateConfig(
    { [key]: parsed },
    path,
    (_, want) => `${key} must be ${want}, not "${value}"; the config file was not changed.`,
  );
  // Every other command stops on a named folder that is not there: it is refused here already.
  if (key === 'claudeDirs' && Array.isArray(parsed))
    for (const root of parsed as unknown[])
      if (typeof root === 'string' && !isFolder(root))
        throw new UsageError(
          `The Claude config folder ${root} ${existsSync(root) ? 'is not a folder' : 'does not exist'}; the config file was not changed.`,
        );
  // A store's path every command would refuse (a folder, a device, a pipe) is refused here already.
  if (key === 'db' && typeof parsed === 'string') {
    const special = isFolder(parsed) ? 'a folder' : specialFileKind(parsed);
    if (special !== null)
      throw new UsageError(`The database path ${parsed} is ${special}, not a file; the config file was not changed.`);
    // A chosen store's folder must exist (a typing mistake, not a wish for a new folder).
    if (!isFolder(dirname(resolve(parsed))))
      throw new UsageError(
        `The folder of the database path ${parsed} does not exist; make it first, or give another path. The config file was not changed.`,
      );
  }
  // Every command reads the price file first: one it cannot use (missing, not JSON, a bad row) is refused here.
  if (key === 'prices' && typeof parsed === 'string') {
    try {
      loadPriceTable(parsed);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      throw new UsageError(`${err.message.replace(/\.$/, '')}; the config file was not changed.`);
    }
  }
  const raw = { ...readRaw(path), [key]: parsed };
  const valid = validateConfig(raw, path);
  // Seats only pool credit on the team plans: a value another plan would ignore is refused.
  const plan = valid.plan ?? 'pro';
  if (key === 'seats' && (valid.seats ?? 1) > 1 && !['team', 'team-premium', 'custom'].includes(plan)) {
    throw new UsageError(
      `seats applies to the team plans (team, team-premium); the config's plan is ${plan}. Set the plan first: creditmeter config set plan team`,
    );
  }
  // The custom plan has no amount of its own: a file naming it without a credit would stop every command.
  if (key === 'plan' && plan === 'custom' && valid.credit === undefined) {
    throw new UsageError(
      `The custom plan needs a credit: set it first (creditmeter config set credit 150), then the plan; the config file was not changed.`,
    );
  }
  return writeConfig(path, raw, valid);
}

/** Writes the config file `path` (atomically; through a link, the file it leads to); returns its settings. */
function writeConfig(path: string, raw: Record<string, unknown>, valid = validateConfig(raw, path)): ConfigFile {
  // Through a symbolic link (a dotfile manager's), the file it points to is written and the link kept.
  const file = throughLinks(path);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeFolders(dirname(file), 0o700);
    // Write then rename, so a crash never leaves half a config file.
    writeFileSync(tmp, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as NodeJS.ErrnoException;
    throw new Error(
      `Cannot write the config file ${path} (${e.code ?? e.message}); choose another place with --config.`,
    );
  }
  return valid;
}

/** The effective value of every key (flags > environment > config file > defaults), as printed. */
export function effectiveValues(flags: GlobalFlags, missingRoots: string[] = []): Record<Key, unknown> {
  // A named Claude folder that is not there is listed (and marked by `show`), not an error here.
  const config = resolveConfig(flags, process.env, { missingRoots });
  const plan = config.plan;
  const values: Record<Key, unknown> = {
    plan: plan.plan,
    seats: plan.seats,
    credit: plan.credit,
    cycleStartDay: plan.cycleStartDay,
    tz: plan.tz,
    usageCredits: plan.usageCredits,
    overageCap: plan.overageCap,
    countUnknown: plan.countUnknown,
    seatCredit: plan.seatCredit ?? 'pooled',
    bell: config.bell,
    exportDir: config.exportDir,
    db: config.dbPath,
    claudeDirs: config.roots,
    prices: config.pricesPath,
    classes: readConfigFile(config.configPath).config.classes ?? {},
  };
  return values;
}

/** The flag and the environment variable that set each key, where there are any (as resolveConfig reads them). */
const FLAG_OF: Partial<Record<Key, keyof GlobalFlags>> = {
  plan: 'plan',
  seats: 'seats',
  credit: 'credit',
  cycleStartDay: 'cycleStartDay',
  tz: 'tz',
  usageCredits: 'usageCredits',
  overageCap: 'overageCap',
  db: 'db',
  claudeDirs: 'claudeDir',
  prices: 'prices',
};
const ENV_OF: Partial<Record<Key, string>> = {
  plan: 'CREDITMETER_PLAN',
  tz: 'CREDITMETER_TZ',
  db: 'CREDITMETER_DB',
  claudeDirs: 'CLAUDE_CONFIG_DIR',
};

/** Where the value in effect of `key` comes from: a flag, the environment, the config file or the default. */
export function sourceOf(
  flags: GlobalFlags,
  key: Key,
  file: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const flag = FLAG_OF[key];
  const given = flag === undefined ? undefined : flags[flag];
  if (given !== undefined && (!Array.isArray(given) || given.length > 0)) return 'flag';
  const variable = ENV_OF[key];
  if (variable !== undefined && (env[variable] ?? '').trim() !== '') return `environment (${variable})`;
  if (key === 'tz' && file.tz === undefined && env.TZ) return 'environment (TZ) or the system';
  if (key in file) return 'config file';
  return 'default';
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Where a shown value comes from; when the config file sets a key to something its plan does not
 * use (seats on a Pro plan), what the file says and that it is not in effect.
 */
function shownSource(
  flags: GlobalFlags,
  key: Key,
  file: Record<string, unknown>,
  values: Record<Key, unknown>,
): string {
  const source = sourceOf(flags, key, file);
  if (source !== 'config file' || !(key === 'seats' || key === 'seatCredit') || show(file[key]) === show(values[key]))
    return source;
  return `config file says ${show(file[key])}, not used on plan ${show(values.plan)}`;
}

/** `creditmeter config set|get|show|path`. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('read and write the config file (plan, cycle, zone, paths)');
  config
    .command('set <key> <value>')
    .description(`set one key: ${KEYS.join(', ')} (kebab-case works too, e.g. cycle-start-day)`)
    .action((name: string, value: string, _opts: unknown, cmd: Command) => {
      const path = configFilePath(cmd.optsWithGlobals<GlobalFlags>());
      setConfigValue(path, name, value);
      writeStdout(`Set ${configKey(name)} in ${path}.\n`);
    });
  config
    .command('get <key>')
    .description('print the value in effect for one key')
    .action((name: string, _opts: unknown, cmd: Command) => {
      writeStdout(`${show(effectiveValues(cmd.optsWithGlobals<GlobalFlags>())[configKey(name)])}\n`);
    });
  config
    .command('show')
    .alias('list')
    .description(
      'print every setting in effect and where it comes from (a flag, the environment, the config file or the default)',
    )
    .action((_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      const path = configFilePath(flags);
      const file = readRaw(path, false);
      writeStdout(`config file: ${path}${existsSync(path) ? '' : ' (not created yet)'}\n`);
      const missing: string[] = [];
      const values = effectiveValues(flags, missing);
      const rows = KEYS.map((key) => [key, show(values[key]), shownSource(flags, key, file, values)]);
      // Columns as wide as their longest entry, so long paths do not push their row out of line.
      const keyWidth = Math.max(...rows.map((r) => r[0]!.length));
      const valueWidth = Math.max(...rows.map((r) => r[1]!.length));
      const lines = rows.map(
        ([key, value, source]) => `${key!.padEnd(keyWidth)}  ${value!.padEnd(valueWidth)}  ${source}`,
      );
      const columns = terminalColumns();
      if (columns !== undefined && lines.some((l) => l.length >= columns)) {
        // Too wide for the terminal: the file's own keys are marked after their value, the rest said once.
        const marked = rows.map(([key, value, source]) => `${key!.padEnd(keyWidth)}  ${value}  (${source})`);
        writeStdout(`${marked.join('\n')}\n`);
      } else writeStdout(`${lines.join('\n')}\n`);
      for (const root of missing)
        process.stderr.write(
          `creditmeter: the Claude config folder ${root} does not exist; other commands stop on it.\n`,
        );
    });
  config
    .command('path')
    .description('print the config file path')
    .action((_opts: unknown, cmd: Command) => {
      writeStdout(`${configFilePath(cmd.optsWithGlobals<GlobalFlags>())}\n`);
    });
}
