import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
let cfg: string;
const saved = { ...process.env };

/** The shared in-process runner, with this file's field names. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-config-'));
  cfg = join(dir, 'nested', 'config.json');
  for (const k of ['CREDITMETER_PLAN', 'CREDITMETER_TZ', 'CREDITMETER_CONFIG', 'CREDITMETER_DB', 'CLAUDE_CONFIG_DIR'])
    delete process.env[k];
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

describe('creditmeter config', () => {
  it('creates the file on the first set and keeps other keys on later ones', async () => {
    expect((await run(['--config', cfg, 'config', 'set', 'plan', 'max5x'])).code).toBe(0);
    expect((await run(['--config', cfg, 'config', 'set', 'cycle-start-day', '15'])).code).toBe(0);
    expect((await run(['--config', cfg, 'config', 'set', 'usageCredits', 'on'])).code).toBe(0);
    expect((await run(['--config', cfg, 'config', 'set', 'overage-cap', '25'])).code).toBe(0);
    // A store's path that is a device or a folder is refused: every other command would stop on it.
    for (const [db, kind] of [
      ['/dev/null', 'a character device'],
      [dir, 'a folder'],
    ] as const) {
      const r = await run(['--config', cfg, 'config', 'set', 'db', db]);
      expect([r.code, r.err.trim()]).toEqual([
        2,
        `creditmeter: The database path ${db} is ${kind}, not a file; the config file was not changed.`,
      ]);
    }
    const nowhere = await run(['--config', cfg, 'config', 'set', 'db', `${dir}/no-such-folder/x.db`]);
    expect([nowhere.code, nowhere.err.trim()]).toEqual([
      2,
      `creditmeter: The folder of the database path ${dir}/no-such-folder/x.db does not exist; make it first, or give another path. The config file was not changed.`,
    ]);
    // A folder that is not there is refused: every other command would stop on it.
    const missing = await run(['--config', cfg, 'config', 'set', 'claudeDirs', `${dir}/a,${dir}/b`]);
    expect([missing.code, missing.err.trim()]).toEqual([
      2,
      `creditmeter: The Claude config folder ${dir}/a does not exist; the config file was not changed.`,
    ]);
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    expect((await run(['--config', cfg, 'config', 'set', 'claudeDirs', `${dir}/a,${dir}/b`])).code).toBe(0);
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toEqual({
      plan: 'max5x',
      cycleStartDay: 15,
      usageCredits: true,
      overageCap: 25,
      claudeDirs: [`${dir}/a`, `${dir}/b`],
    });
    expect((await run(['--config', cfg, 'config', 'set', 'overageCap', 'none'])).code).toBe(0);
    expect(JSON.parse(readFileSync(cfg, 'utf8')).overageCap).toBeNull();
  });

  it('config show names where each value comes from: flag, environment, config file or default', async () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ plan: 'max5x', cycleStartDay: 15 }));
    process.env.CREDITMETER_PLAN = 'max20x';
    const r = await run(['--config', join(dir, 'c.json'), '--tz', 'UTC', 'config', 'show']);
    expect(r.code, r.err).toBe(0);
    const line = (key: string): string => r.out.split('\n').find((l) => l.startsWith(`${key} `)) ?? '';
    expect(line('plan')).toMatch(/max20x\s+environment \(CREDITMETER_PLAN\)$/);
    expect(line('cycleStartDay')).toMatch(/15\s+config file$/);
    expect(line('tz')).toMatch(/UTC\s+flag$/);
    expect(line('seats')).toMatch(/\s+default$/);
    expect(line('classes')).not.toBe('');
    // A plan the environment names wrongly is said to come from there.
    process.env.CREDITMETER_PLAN = 'bogus';
    const bad = await run(['--config', join(dir, 'c.json'), 'config', 'show']);
    expect([bad.code, bad.err]).toEqual([2, expect.stringContaining('Unknown plan "bogus" (from CREDITMETER_PLAN)')]);
    delete process.env.CREDITMETER_PLAN;
    // Seats a Pro plan does not use: the file's value is named, and that it is not in effect.
    writeFileSync(join(dir, 'pro.json'), JSON.stringify({ plan: 'pro', seats: 3, seatCredit: 'per-seat' }));
    const pro = await run(['--config', join(dir, 'pro.json'), 'config', 'show']);
    expect(pro.out).toMatch(/^seats\s+1\s+config file says 3, not used on plan pro$/m);
    expect(pro.out).toMatch(/^seatCredit\s+pooled\s+config file says per-seat, not used on plan pro$/m);
    // /dev/null holds no settings, as for every other command.
    const none = await run(['--config', '/dev/null', 'config', 'show']);
    expect(none.code, none.err).toBe(0);
    expect(none.out).toMatch(/^plan\s+pro\s+default$/m);
    // A byte-order mark before the JSON (as some Windows editors save it) is no mistake.
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ plan: 'max20x' })}`);
    const bom = await run(['--config', join(dir, 'bom.json'), 'config', 'get', 'plan']);
    expect([bom.code, bom.out.trim()]).toEqual([0, 'max20x']);
    expect((await run(['--config', join(dir, 'bom.json'), 'config', 'set', 'seats', '1'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'bom.json'), 'utf8'))).toEqual({ plan: 'max20x', seats: 1 });
    // A file naming a folder that is gone (a mount not up) still shows and gets, and says so.
    writeFileSync(join(dir, 'gone.json'), JSON.stringify({ plan: 'max5x', claudeDirs: [join(dir, 'gone')] }));
    const shown = await run(['--config', join(dir, 'gone.json'), 'config', 'show']);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/^claudeDirs\s+\[".*gone"\]\s+config file$/m);
    expect(shown.err).toContain(
      `the Claude config folder ${join(dir, 'gone')} does not exist; other commands stop on it.`,
    );
    const got = await run(['--config', join(dir, 'gone.json'), 'config', 'get', 'plan']);
    expect([got.code, got.out.trim()]).toEqual([0, 'max5x']);
    expect((await run(['--config', join(dir, 'gone.json'), 'status'])).code).toBe(2);
  });

  it('says so when TZ names no zone, and not for a POSIX TZ', async () => {
    writeFileSync(join(dir, 'plain.json'), '{}');
    const plain = join(dir, 'plain.json');
    process.env.TZ = 'Nowhere/X';
    const bad = await run(['--config', plain, 'config', 'get', 'tz']);
    expect(bad.code, bad.err).toBe(0);
    expect(bad.err).toMatch(
      /^creditmeter: TZ=Nowhere\/X names no time zone creditmeter reads \(an IANA name, or its zone file\); the system's zone \(.+\) is used\./,
    );
    process.env.TZ = 'EST5EDT';
    expect((await run(['--config', plain, 'config', 'get', 'tz'])).err).toBe('');
    // A POSIX rule the runtime cannot follow, or no rule at all, leaves the commands on UTC: said.
    for (const tz of ['CET-1', 'bogus']) {
      process.env.TZ = tz;
      const posix = await run(['--config', plain, 'config', 'get', 'tz']);
      expect([posix.code, posix.out.trim()]).toEqual([0, 'UTC']);
      expect(posix.err).toBe(
        `creditmeter: TZ=${tz} names no time zone creditmeter reads (an IANA name, or its zone file); the system's zone (UTC) is used. Set an IANA name such as America/New_York, or --tz.\n`,
      );
    }
    // UTC by a POSIX rule asks for UTC; a zone file that exists is the runtime's to read.
    for (const tz of ['UTC0', 'GMT+0', '<UTC>0', ':/etc/localtime']) {
      process.env.TZ = tz;
      expect((await run(['--config', plain, 'config', 'get', 'tz'])).err, tz).toBe('');
    }
  });

  it('takes the zone a TZ names by its zone file or with POSIX colon', async () => {
    writeFileSync(join(dir, 'plain.json'), '{}');
    const plain = join(dir, 'plain.json');
    const before = process.env.TZ;
    try {
      for (const tz of ['/usr/share/zoneinfo/Europe/Berlin', ':Europe/Berlin', ':/usr/share/zoneinfo/Europe/Berlin']) {
        process.env.TZ = tz;
        const got = await run(['--config', plain, 'config', 'get', 'tz']);
        expect([got.code, got.out.trim(), got.err], tz).toEqual([0, 'Europe/Berlin', '']);
      }
      // A link to a zone file (as /etc/localtime is) names its zone, from TZ as from --tz.
      symlinkSync('/usr/share/zoneinfo/Europe/Berlin', join(dir, 'localtime'));
      process.env.TZ = `:${join(dir, 'localtime')}`;
      const linked = await run(['--config', plain, 'config', 'get', 'tz']);
      expect([linked.code, linked.out.trim(), linked.err]).toEqual([0, 'Europe/Berlin', '']);
      const right = await run([
        '--config',
        plain,
        '--tz',
        '/usr/share/zoneinfo/right/Asia/Tokyo',
        'config',
        'get',
        'tz',
      ]);
      expect([right.code, right.out.trim()]).toEqual([0, 'Asia/Tokyo']);
      // --tz takes a zone file's path as TZ does, and names a wrong one as typed.
      delete process.env.TZ;
      const flag = await run(['--config', plain, '--tz', '/usr/share/zoneinfo/Asia/Tokyo', 'config', 'get', 'tz']);
      expect([flag.code, flag.out.trim(), flag.err]).toEqual([0, 'Asia/Tokyo', '']);
      const wrong = await run(['--config', plain, '--tz', '/usr/share/zoneinfo/Nowhere/X', 'config', 'get', 'tz']);
      expect([wrong.code, wrong.err]).toEqual([
        2,
        'creditmeter: Unknown time zone "/usr/share/zoneinfo/Nowhere/X" (from --tz): use an IANA name such as America/New_York.\n',
      ]);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('config set takes classes and prices, and a list of folders written as JSON', async () => {
    expect((await run(['--config', cfg, 'config', 'set', 'classes', '{"cli":"programmatic"}'])).code).toBe(0);
    writeFileSync(join(dir, 'p.json'), '{"models": []}');
    expect((await run(['--config', cfg, 'config', 'set', 'prices', join(dir, 'p.json')])).code).toBe(0);
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    expect((await run(['--config', cfg, 'config', 'set', 'claudeDirs', `["${dir}/a","${dir}/b"]`])).code).toBe(0);
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toEqual({
      classes: { cli: 'programmatic' },
      prices: join(dir, 'p.json'),
      claudeDirs: [`${dir}/a`, `${dir}/b`],
    });
    const bad = await run(['--config', cfg, 'config', 'set', 'classes', '{"cli":"sometimes"}']);
    expect(bad.code).toBe(2);
  });

  it('config set refuses a price file every command would stop on, and clears the setting with none', async () => {
    writeFileSync(join(dir, 'p.json'), '{"models": []}');
    expect((await run(['--config', cfg, 'config', 'set', 'prices', join(dir, 'p.json')])).code).toBe(0);
    writeFileSync(join(dir, 'bad.json'), '{"models": [{"id": "x"}]}');
    for (const [file, why] of [
      [join(dir, 'none.json'), `The price file ${join(dir, 'none.json')} does not exist`],
      [join(dir, 'bad.json'), `In the price file ${join(dir, 'bad.json')}, models[0].rates must be an object`],
    ] as const) {
      const r = await run(['--config', cfg, 'config', 'set', 'prices', file]);
      expect([r.code, r.err.trim()]).toEqual([2, `creditmeter: ${why}; the config file was not changed.`]);
    }
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toEqual({ prices: join(dir, 'p.json') });
    // The bundled table alone again: the key leaves the file.
    expect((await run(['--config', cfg, 'config', 'set', 'prices', 'none'])).code).toBe(0);
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toEqual({});
    expect((await run(['--config', cfg, '--db', join(dir, 's.db'), 'config', 'get', 'prices'])).out.trim()).toBe(
      'null',
    );
  });

  it('refuses the custom plan without a credit, leaving the file as it was, and takes it after one', async () => {
    const file = join(dir, 'custom.json');
    const plan = await run(['--config', file, 'config', 'set', 'plan', 'custom']);
    expect(plan.code).toBe(2);
    expect(plan.err).toMatch(/custom plan needs a credit: set it first \(creditmeter config set credit 150\)/);
    expect(existsSync(file)).toBe(false);
    expect((await run(['--config', file, 'config', 'set', 'credit', '150'])).code).toBe(0);
    expect((await run(['--config', file, 'config', 'set', 'plan', 'custom'])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ credit: 150, plan: 'custom' });
    const shown = await run(['--config', file, 'config', 'get', 'credit']);
    expect(shown.out.trim()).toBe('150');
  });

  it('takes --overage-cap none on the flag, as config set does, over a cap in the file', async () => {
    const file = join(dir, 'capped.json');
    expect((await run(['--config', file, 'config', 'set', 'overage-cap', '25'])).code).toBe(0);
    expect((await run(['--config', file, 'config', 'get', 'overageCap'])).out.trim()).toBe('25');
    const lifted = await run(['--config', file, '--overage-cap', 'none', 'config', 'get', 'overageCap']);
    expect(lifted.code, lifted.err).toBe(0);
    expect(lifted.out.trim()).toBe('null');
    const bad = await run(['--config', file, '--overage-cap', 'lots', 'config', 'get', 'overageCap']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /--overage-cap must be a dollar amount in whole cents from 0 to 1,000,000,000, such as 50, or none, not "lots"\./,
    );
  });

  it('refuses a flag given an empty value, and a dollar amount too large to sum', async () => {
    const file = join(dir, 'empty-flags.json');
    writeFileSync(file, JSON.stringify({ plan: 'max5x' }));
    for (const flag of ['--config', '--tz', '--db', '--prices', '--claude-dir', '--credit']) {
      const args =
        flag === '--config'
          ? [flag, ' ', 'config', 'get', 'plan']
          : ['--config', file, flag, '', 'config', 'get', 'plan'];
      const r = await run(args);
      expect(r.code, flag).toBe(2);
      expect(r.err, flag).toContain(`${flag} needs a value.`);
    }
    const huge = await run(['--config', file, '--credit', '1e308', 'config', 'get', 'plan']);
    expect(huge.code).toBe(2);
    expect(huge.err).toMatch(
      /--credit must be a dollar amount in whole cents from 0 to 1,000,000,000, such as 100, not "1e308"\./,
    );
    // A fraction of a cent would read as $0.00 beside a percentage of it.
    const tiny = await run(['--config', file, '--credit', '0.001', 'config', 'get', 'plan']);
    expect(tiny.code).toBe(2);
    expect(tiny.err).toMatch(/--credit must be a dollar amount in whole cents/);
    expect((await run(['--config', file, 'config', 'set', 'credit', '12.345'])).code).toBe(2);
    // Dollars and cents as written, not what Number also reads.
    for (const odd of ['0x10', '1e3', 'Infinity', '-0']) {
      expect((await run(['--config', file, '--credit', odd, 'config', 'get', 'plan'])).code, odd).toBe(2);
      expect((await run(['--config', file, 'config', 'set', 'credit', odd])).code, odd).toBe(2);
    }
    // Every whole-cent amount, however large, is taken as written.
    for (const big of ['662974940.57', '163974786.36', '565030408.3', '999999999.99', '.5', '12.'])
      expect((await run(['--config', file, '--credit', big, 'config', 'get', 'plan'])).code, big).toBe(0);
    // A file an earlier version wrote with a fraction of a cent is taken to the cent, not refused.
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ plan: 'custom', credit: 33.333 }));
    mkdirSync(join(dir, 'none', 'projects'), { recursive: true });
    const shown = await run(['--config', old, 'status', '--json', '--claude-dir', join(dir, 'none')]);
    expect(shown.code, shown.err).toBe(0);
    expect((JSON.parse(shown.out) as { cycle: { credit: number } }).cycle.credit).toBe(33.33);
    expect((await run(['--config', file, '--credit', '19.99', 'config', 'get', 'plan'])).code).toBe(0);
    expect((await run(['--config', file, '--credit', '0.07', 'config', 'get', 'plan'])).code).toBe(0);
    expect((await run(['--config', file, 'config', 'set', 'credit', '1e12'])).code).toBe(2);
    expect((await run(['--config', file, '--credit', '1000000000', 'config', 'get', 'plan'])).code).toBe(0);
  });

  it('names a key of the file that is no setting (a misspelt one), once, and goes on', async () => {
    const file = join(dir, 'odd.json');
    writeFileSync(file, JSON.stringify({ plan: 'max5x', cycleStartday: 15 }));
    const r = await run(['--config', file, 'config', 'get', 'plan']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('max5x');
    expect(r.err).toMatch(/"cycleStartday" is no setting, ignored \(settings: plan, seats, credit, cycleStartDay,/);
  });

  it("refuses the dashboard's receiver flags without --listen (exit 2)", async () => {
    const r = await run([
      '--config',
      '/dev/null',
      '--db',
      join(dir, 'x.db'),
      '--claude-dir',
      dir,
      'dashboard',
      '--token-file',
      join(dir, 't'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--token-file applies with --listen/);
  });

  it('rejects bad keys and values with exit 2 and leaves the file untouched', async () => {
    await run(['--config', cfg, 'config', 'set', 'plan', 'pro']);
    const before = readFileSync(cfg, 'utf8');
    for (const [k, v] of [
      ['plan', 'gold'],
      ['seats', '0'],
      ['cycleStartDay', '32'],
      ['tz', 'Mars/Olympus'],
      ['usageCredits', 'maybe'],
      ['credit', '-5'],
      ['colour', 'blue'],
    ] as const) {
      const r = await run(['--config', cfg, 'config', 'set', k, v]);
      expect(r.code, `${k}=${v}`).toBe(2);
      expect(r.err).toMatch(/^creditmeter: .+\.\n$/);
    }
    expect(readFileSync(cfg, 'utf8')).toBe(before);
  });

  it('gets values in effect: flags beat the file, which beats defaults', async () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ plan: 'max20x', tz: 'Asia/Kolkata' }));
    const c = join(dir, 'c.json');
    expect((await run(['--config', c, 'config', 'get', 'plan'])).out).toBe('max20x\n');
    expect((await run(['--config', c, '--plan', 'pro', 'config', 'get', 'plan'])).out).toBe('pro\n');
    expect((await run(['--config', c, 'config', 'get', 'credit'])).out).toBe('200\n');
    expect((await run(['--config', c, 'config', 'get', 'cycle-start-day'])).out).toBe('1\n');
    expect((await run(['--config', c, 'config', 'get', 'tz'])).out).toBe('Asia/Kolkata\n');
    const shown = await run(['--config', c, 'config', 'show']);
    expect(shown.out).toContain(`config file: ${c}`);
    expect(shown.out).toMatch(/plan\s+max20x\s+config file/);
    expect(shown.out).toMatch(/seats\s+1\s+default/);
    expect((await run(['--config', c, 'config', 'list'])).out).toBe(shown.out);
    expect((await run(['--config', c, 'config', 'path'])).out).toBe(`${c}\n`);
    expect(existsSync(cfg)).toBe(false);
  });
});
