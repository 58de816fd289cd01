/**
 * Property: random sequences of appends, half lines, truncations, in-place rewrites, replacements
 * and deletions, with incremental reads in between, always end equal (totals and classes) to a
 * cold read of everything the files held when they were read: requests once billed stay billed.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/demo/prng.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { openTestApp, tempDir, totals } from './helpers.js';
import { line, sdkPromptLine, snapshotLine } from './session-lines.js';

const tmp = tempDir('cm-prop-');
afterAll(() => tmp.cleanup());

const SESSIONS = ['66666666-6666-4666-8666-666666666666', '77777777-7777-4777-8777-777777777777'];
/** Two files named after their sessions, one holding lines of both. */
const FILES = [`${SESSIONS[0]}.jsonl`, `${SESSIONS[1]}.jsonl`, 'agent-shared.jsonl'];

async function readInto(root: string, db: string): Promise<void> {
  const ctx = openTestApp([root], db);
  try {
    await catchUp(ctx);
  } finally {
    ctx.close();
  }
}

function summary(root: string, db: string): unknown {
  const ctx = openTestApp([root], db);
  try {
    const byClass = ctx.db
      .prepare(
        'SELECT class, COUNT(*) AS n, SUM(output_tokens) AS output, ROUND(SUM(cost), 9) AS cost FROM requests GROUP BY class ORDER BY class',
      )
      .all();
    const keys = ctx.db.prepare('SELECT key, class, output_tokens FROM requests ORDER BY key').all();
    return { totals: totals(ctx.db), byClass, keys };
  } finally {
    ctx.close();
  }
}

/**
 * The first line of the shared file, kept through every rewrite and written first after a
 * replacement: a file's session is its first session, and the archive's copies must agree on it.
 */
const SHARED_HEAD = `${JSON.stringify({ type: 'user', sessionId: SESSIONS[0], message: { role: 'user', content: 'hi' }, uuid: 'head', timestamp: '2026-11-01T00:00:00.000Z' })}\n`;
const fresh = (f: number): string => (f === 2 ? SHARED_HEAD : '');

/** A random line for file `f`: mostly requests (ids from a small pool, so copies repeat), some signals. */
function randomLine(rng: Rng, f: number): string {
  const session = f < 2 ? SESSIONS[f]! : SESSIONS[rng.int(0, 1)]!;
  const r = rng.float();
  if (r < 0.08) return snapshotLine(session);
  if (r < 0.14) return sdkPromptLine(session);
  const id = `m${rng.int(0, 40)}`;
  return line({
    session,
    id,
    output: rng.int(1, 500),
    entrypoint: rng.chance(0.5) ? null : rng.chance(0.5) ? 'sdk-cli' : 'cli',
    ts: `2026-11-${String(rng.int(1, 28)).padStart(2, '0')}T10:00:00.000Z`,
  });
}

async function runSequence(seed: number): Promise<void> {
  const rng = new Rng(seed, 'loss-property');
  const base = join(tmp.dir, `seed-${seed}`);
  const root = join(base, 'live');
  const dir = join(root, 'projects', 'p');
  mkdirSync(dir, { recursive: true });
  const archive = join(base, 'archive');
  const db = join(base, 'live.db');
  let reads = 0;
  const pendingHalf = new Map<number, string>();
  for (let step = 0; step < 40; step++) {
    const f = rng.int(0, FILES.length - 1);
    const path = join(dir, FILES[f]!);
    const op = rng.float();
    const present = existsSync(path);
    const rest = pendingHalf.get(f);
    if (rest !== undefined && present && op < 0.5) {
      // Complete the half line written earlier.
      appendFileSync(path, rest);
      pendingHalf.delete(f);
    } else if (op < 0.45 || !present) {
      appendFileSync(
        path,
        (present ? '' : fresh(f)) + Array.from({ length: rng.int(1, 4) }, () => randomLine(rng, f)).join(''),
      );
    } else if (op < 0.55 && !pendingHalf.has(f)) {
      const l = randomLine(rng, f);
      const cut = rng.int(1, l.length - 2);
      appendFileSync(path, l.slice(0, cut));
      pendingHalf.set(f, l.slice(cut));
    } else if (op < 0.65) {
      const text = readFileSync(path, 'utf8');
      const ends = [...text.matchAll(/\n/g)].map((m) => m.index + 1);
      const keep = f === 2 ? 1 : 0; // the shared file keeps its first line
      truncateSync(path, ends.length > keep + 1 ? ends[rng.int(keep, ends.length - 2)]! : (ends[keep - 1] ?? 0));
      pendingHalf.delete(f);
    } else if (op < 0.8) {
      // In place: same inode, first line kept, the rest new (and often longer).
      const text = readFileSync(path, 'utf8');
      const first = text.slice(0, text.indexOf('\n') + 1);
      const body = first + Array.from({ length: rng.int(1, 6) }, () => randomLine(rng, f)).join('');
      const fd = openSync(path, 'r+');
      writeSync(fd, body, 0);
      closeSync(fd);
      if (Buffer.byteLength(body) < Buffer.byteLength(text)) truncateSync(path, Buffer.byteLength(body));
      pendingHalf.delete(f);
    } else if (op < 0.92) {
      const next = `${path}.next`;
      writeFileSync(next, fresh(f) + Array.from({ length: rng.int(1, 5) }, () => randomLine(rng, f)).join(''));
      renameSync(next, path);
      pendingHalf.delete(f);
    } else {
      rmSync(path);
      pendingHalf.delete(f);
    }
    if (rng.chance(0.45) || step === 39) {
      await readInto(root, db);
      // What the files held at this read: the cold read's input.
      const snap = join(archive, 'projects', `read-${reads++}`);
      mkdirSync(snap, { recursive: true });
      for (const name of FILES)
        if (existsSync(join(dir, name))) writeFileSync(join(snap, name), readFileSync(join(dir, name)));
    }
  }
  const coldDb = join(base, 'cold.db');
  await readInto(archive, coldDb);
  expect(summary(root, db), `seed ${seed}`).toEqual(summary(archive, coldDb));
}

describe('incremental reads against a cold read of everything read', () => {
  for (const seed of process.env.LOSS_SEEDS
    ? Array.from({ length: Number(process.env.LOSS_SEEDS) }, (_, i) => 1000 + i)
    : [11, 23, 37, 41, 59, 73]) {
    it(`seed ${seed}`, async () => runSequence(seed), 60_000);
  }
});
