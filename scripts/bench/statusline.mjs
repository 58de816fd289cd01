// Status line and export benchmark on a store of one million requests over the last 180 days
// (about 170,000 in the current cycle): `creditmeter statusline` wall time as Claude Code runs it
// (a new process, the hook's JSON on stdin), cold (full status) and warm (the store was written
// since the last line, so the line is drawn again with the cached forecast), with the session
// transcript tailed; and `creditmeter export` per format. The unchanged case (the last line printed
// again) is in the speed section. The status line's times are stated as ratios to the floor of any
// Node command (`node -e 0`), timed in the same rounds: absolute times move by a third between days.
// A section of `npm run bench` (run(env) returns rows); also runs alone: `node scripts/bench/statusline.mjs`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROWS = 1_000_000;
const WARM_RUNS = 15;
const DAY = 86_400_000;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fillStore(dbPath) {
  return import(pathToFileURL(join(repo, 'dist', 'lib', 'store', 'database.js')).href).then(({ openDatabase }) => {
    const db = openDatabase(dbPath);
    const insert =
      db.prepare(`INSERT INTO requests (key, session_id, project, entrypoint, class, model, ts, input_tokens, output_tokens,
      cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, price_version, source)
      VALUES (?, ?, ?, ?, ?, ?, ?, 10, 300, 40000, 1500, 0, 0, 0, ?, 'bench', 'line')`);
    const models = ['claude-opus-4-7', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];
    const classes = ['programmatic', 'interactive', 'unknown'];
    const start = Date.now() - 180 * DAY;
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const cls = classes[i % 3];
        insert.run(
          `k${i}`,
          `s${i % 4000}`,
          `/p/${i % 40}`,
          cls === 'programmatic' ? 'sdk-cli' : 'cli',
          cls,
          models[i % 3],
          start + Math.floor((i * 180 * DAY) / ROWS),
          0.0005,
        );
      }
    })();
    db.close();
  });
}

/** Spawns the built CLI; resolves to its wall time (ms) and output. */
function spawnCli(args, input, env) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), ...args], {
    input,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { wallMs: performance.now() - t, stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function transcriptLine(i) {
  const id = `sl-${process.pid}-${i}`;
  return JSON.stringify({
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: new Date().toISOString(),
    sessionId: 'bench-statusline',
    cwd: '/bench',
    version: '2.1.120',
    entrypoint: 'sdk-cli',
    requestId: `req_${id}`,
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-6',
      usage: { input_tokens: 100, output_tokens: 200, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  });
}

export async function run(harness = {}) {
  const log = harness.log ?? ((...p) => process.stderr.write(`${p.join(' ')}\n`));
  const dir = mkdtempSync(join(harness.tmpDir ?? tmpdir(), 'creditmeter-bench-statusline-'));
  try {
    const db = join(dir, 'usage.db');
    const root = join(dir, 'claude');
    const transcript = join(root, 'projects', '-bench', 'bench-statusline.jsonl');
    mkdirSync(dirname(transcript), { recursive: true });
    writeFileSync(transcript, '');
    log(`statusline: filling a store with ${ROWS.toLocaleString('en-US')} requests ...`);
    await fillStore(db);
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      NO_COLOR: '1',
    };
    const base = ['statusline', '--db', db, '--claude-dir', root, '--plan', 'max5x'];
    const hook = JSON.stringify({ session_id: 'bench-statusline', transcript_path: transcript, cwd: '/bench' });

    spawnCli(base, '', env); // the first open runs the migrations' deferred work, if any
    // Cold: neither the forecast nor a drawn line is kept yet.
    rmSync(`${db}-statusline.json`, { force: true });
    rmSync(`${db}-statusline-line.json`, { force: true });
    const cold = spawnCli(base, '', env);
    const warm = [];
    const tail = [];
    const floors = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      floors.push(performance.now() - t);
      warm.push(spawnCli(base, '', env).wallMs);
      appendFileSync(transcript, `${transcriptLine(i)}\n`);
      tail.push(spawnCli(base, hook, env).wallMs);
    }
    const node = median(floors);
    log(`statusline: ${cold.stdout.trim()}`);
    const rows = [
      { label: 'statusline, cold (full status, 1M requests)', value: Math.round(cold.wallMs), unit: 'ms' },
      {
        label: 'statusline, warm (store written since: line redrawn, forecast cached), median',
        value: Math.round(median(warm)),
        unit: 'ms',
      },
      {
        label: 'statusline, warm + tail of the session transcript, median',
        value: Math.round(median(tail)),
        unit: 'ms',
      },
      { label: 'node -e 0, the floor, in the same rounds (median)', value: Math.round(node), unit: 'ms' },
      { label: 'statusline, warm ÷ floor', value: median(warm) / node, unit: 'x', target: '<= 1.3' },
      { label: 'statusline, warm + tail ÷ floor', value: median(tail) / node, unit: 'x', target: '<= 1.3' },
    ];
    for (const format of ['json', 'md', 'html', 'csv']) {
      const r = spawnCli(
        [
          'export',
          '--format',
          format,
          '--db',
          db,
          '--claude-dir',
          root,
          '--plan',
          'max5x',
          '--out',
          join(dir, `out.${format}`),
        ],
        '',
        env,
      );
      rows.push({
        label: `export --format ${format} (170k requests in the cycle)`,
        value: Math.round(r.wallMs),
        unit: 'ms',
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(
      `${r.label.padEnd(62)} ${String(r.value).padStart(7)} ${r.unit}${r.target ? `  (target ${r.target})` : ''}`,
    );
}
