/**
 * Filler content for generated transcripts: code, logs and prose that look like tool output and
 * model replies. One pool is built once from a fixed seed; callers slice it at seeded offsets, so
 * content of any size costs a substring, not a generator loop.
 */
import { Rng } from './prng.js';

const IDENTS = [
  'config',
  'request',
  'usage',
  'session',
  'cycle',
  'ledger',
  'invoice',
  'report',
  'parser',
  'cache',
  'worker',
  'queue',
  'token',
  'account',
  'metrics',
  'handler',
  'schema',
  'router',
  'fixture',
  'snapshot',
];
const VERBS = [
  'load',
  'parse',
  'render',
  'update',
  'merge',
  'compute',
  'validate',
  'flush',
  'resolve',
  'build',
  'sync',
  'collect',
];
const FILES = [
  'src/index.ts',
  'src/server/routes.ts',
  'lib/app/worker.ex',
  'app/models/user.rb',
  'pkg/store/db.go',
  'tests/test_api.py',
  'src/components/Table.tsx',
  'internal/queue/consumer.go',
  'README.md',
  'package.json',
];
const SENTENCES = [
  "I'll start by looking at how the current implementation handles this case.",
  'Let me check the existing tests before changing anything.',
  'The failing assertion comes from an off-by-one in the date range.',
  'Now I will update the handler and run the suite again.',
  'All tests pass now; the change is limited to the parser module.',
  'This needs a migration, so I will add one instead of editing the old schema.',
  'I found the root cause: the cache key ignores the tenant id.',
  'Let me read the configuration file to see which options are set.',
  'The build succeeds, but there are two lint warnings I will fix as well.',
  'Here is a summary of the changes and why each one was needed.',
];
const LOG_LEVELS = ['INFO', 'DEBUG', 'WARN', 'INFO', 'INFO', 'ERROR'];
const UNICODE = ['└─', '│', '●', '◐', '○', '✓', '✗', 'é', 'ü', '→', '…', '—'];

function codeLine(rng: Rng): string {
  const a = rng.pick(IDENTS);
  const b = rng.pick(IDENTS);
  const verb = rng.pick(VERBS);
  switch (rng.int(0, 6)) {
    case 0:
      return `export function ${verb}${a[0]?.toUpperCase()}${a.slice(1)}(${b}: ${a}Input): ${b}Result {`;
    case 1:
      return `  const ${a} = await ${verb}(${b}, { retries: ${rng.int(1, 5)}, timeoutMs: ${rng.int(1, 30) * 1000} });`;
    case 2:
      return `  if (!${a}.${b}) throw new Error("missing ${b} in ${a}");`;
    case 3:
      return `    ${a}_${b} = ${verb}_${b}(${a}, "${rng.hex(8)}")  # ${rng.pick(SENTENCES).slice(0, 40)}`;
    case 4:
      return `  ${rng.int(1, 400)}\t  return { ...${a}, ${b}: ${rng.int(0, 99999)} };`;
    case 5:
      return `${rng.pick(FILES)}:${rng.int(1, 900)}:${rng.int(1, 80)}: ${rng.pick(LOG_LEVELS).toLowerCase()} '${a}' is ${verb}d but never used`;
    default:
      return '}';
  }
}

function logLine(rng: Rng): string {
  const ts = `2026-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return `${ts} ${rng.pick(LOG_LEVELS)} [${rng.pick(IDENTS)}] ${rng.pick(VERBS)} ${rng.pick(IDENTS)} id=${rng.hex(12)} took ${rng.int(1, 2500)}ms ${rng.chance(0.1) ? rng.pick(UNICODE) : ''}`;
}

function buildPool(size: number): string {
  const rng = new Rng(20260101, 'text-pool');
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const kind = rng.int(0, 9);
    const line =
      kind < 5
        ? codeLine(rng)
        : kind < 8
          ? logLine(rng)
          : rng.pick(SENTENCES) + (rng.chance(0.2) ? ` "${rng.pick(IDENTS)}"` : '');
    parts.push(line);
    length += line.length + 1;
  }
  return parts.join('\n');
}

/** Built on first use (1 MB): importing the demo must cost nothing to a command that does not run it. */
let pool: string | null = null;

/** `length` characters of code/log-like text starting at a seeded offset (repeats past the pool). */
export function filler(rng: Rng, length: number): string {
  const POOL = (pool ??= buildPool(1 << 20));
  const n = Math.max(0, Math.floor(length));
  if (n <= POOL.length) {
    const start = rng.int(0, POOL.length - n);
    return POOL.slice(start, start + n);
  }
  const copies = Math.ceil(n / POOL.length);
  return POOL.repeat(copies).slice(0, n);
}

/** A short prose reply of about `sentences` sentences. */
export function prose(rng: Rng, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(rng.pick(SENTENCES));
  return out.join(' ');
}

/** A plausible user prompt for a project. */
export function promptText(rng: Rng, project: string): string {
  const asks = [
    `Fix the failing tests in ${project}`,
    `Add pagination to the ${rng.pick(IDENTS)} endpoint`,
    `Refactor the ${rng.pick(IDENTS)} module so ${rng.pick(VERBS)} is testable`,
    `Review the open PR and summarise the risks`,
    `Why does ${rng.pick(VERBS)}${rng.pick(IDENTS)} time out in CI?`,
    `Write a migration that adds the ${rng.pick(IDENTS)}_id column`,
    `Update the README with the new ${rng.pick(IDENTS)} options`,
    `Implement ${project}-${rng.base58(3).toLowerCase()}`,
  ];
  return rng.pick(asks);
}

/** A file path inside a project, for tool inputs. */
export function filePath(rng: Rng, cwd: string): string {
  const sep = cwd.includes('\\') ? '\\' : '/';
  return `${cwd}${sep}${rng.pick(FILES).split('/').join(sep)}`;
}

/** A shell command for a Bash tool input. */
export function shellCommand(rng: Rng): string {
  return rng.pick([
    'npm test',
    'git status',
    'git diff --stat',
    'mix test',
    'pytest -q',
    'go test ./...',
    `rg -n "${rng.pick(IDENTS)}" src`,
    'npm run build',
    'ls -la',
    `cat ${rng.pick(FILES)}`,
  ]);
}
