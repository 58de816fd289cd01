/**
 * Plans the sessions of a generated history: one heavy user with interactive weekday work,
 * automation jobs (weekday-heavier, some starting or stopping mid-range), nightly CI runs,
 * occasional one-off big runs, quiet weekends, a few machines on old Claude Code builds and
 * resumed sessions. Planning is cheap; emitting the lines is done per plan afterwards.
 */
import type { Rng } from './prng.js';
import { modelAt, UNKNOWN_MODEL_ID, type ModelFamily } from './models.js';
import { laggedVersionAt, PINNED_VERSIONS } from './versions.js';

export type SessionKind = 'interactive' | 'automation' | 'ci' | 'bigrun';

export interface Project {
  name: string;
  cwd: string;
  branches: readonly string[];
}

export interface SessionPlan {
  index: number;
  kind: SessionKind;
  entrypoint: string;
  version: string;
  startMs: number;
  project: Project;
  turns: number;
  requestsPerTurn: number;
  model: string;
  subagentShare: number;
  fast: boolean;
  geoUs: boolean;
  longContext: boolean;
  /** Index of the plan whose lines this session copies first (a resumed session). */
  resumeOf: number | null;
  /** Whether a later plan resumes this one (its lines are kept for copying). */
  resumed: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const NAMES = [
  'billing-api',
  'web-dashboard',
  'ingest-worker',
  'mobile-app',
  'infra',
  'docs-site',
  'auth-service',
  'data-pipeline',
  'search',
  'cli-tools',
  'payments',
  'notifications',
  'ml-features',
  'design-system',
  'spotter',
  'ledger',
];

function makeProjects(rng: Rng): { interactive: Project[]; automation: Project[]; ci: Project[] } {
  const user = rng.pick(['dana', 'alex', 'sam', 'kim']);
  const branches = (name: string): string[] => ['main', `feat/${name}-${rng.hex(3)}`, `fix/${rng.hex(4)}`];
  const interactive = NAMES.slice(0, 12).map((name, i) => ({
    name,
    cwd:
      i === 3
        ? `/Users/${user}/work/${name}`
        : i === 7
          ? `C:\\Users\\${user}\\repos\\${name}`
          : `/home/${user}/src/${name}`,
    branches: branches(name),
  }));
  const automation = ['triage-bot', 'release-notes', 'pr-reviewer', 'data-cleanup', 'doc-sync'].map((name) => ({
    name,
    cwd: `/srv/agents/${name}`,
    branches: ['main', 'HEAD'],
  }));
  const ci = NAMES.slice(0, 4).map((name) => ({
    name,
    cwd: `/home/runner/work/${name}/${name}`,
    branches: ['main', `dependabot/npm_and_yarn/${rng.hex(5)}`],
  }));
  return { interactive, automation, ci };
}

/** Planning knobs: `activity` scales session counts, `tzOffsetHours` places working hours. */
export interface PlanOptions {
  startMs: number;
  endMs: number;
  activity: number;
  tzOffsetHours: number;
}

interface Draft {
  kind: SessionKind;
  entrypoint: string;
  startMs: number;
  project: Project;
  turns: number;
  requestsPerTurn: number;
  family: ModelFamily;
  subagentShare: number;
}

function poisson(rng: Rng, mean: number): number {
  let n = 0;
  let t = -Math.log(1 - rng.float());
  while (t < mean) {
    n++;
    t += -Math.log(1 - rng.float());
  }
  return n;
}

function familyFor(rng: Rng, weights: ReadonlyArray<readonly [ModelFamily, number]>): ModelFamily {
  return rng.weighted(weights);
}

/** Every session of the range, sorted by start time, with indices in that order. */
export function planSessions(rng: Rng, options: PlanOptions): SessionPlan[] {
  const { startMs, endMs, activity } = options;
  const projects = makeProjects(rng);
  const offset = options.tzOffsetHours * HOUR;
  const jobs = projects.automation.map((project, i) => ({
    project,
    entrypoint: rng.pick(['sdk-ts', 'sdk-py', 'sdk-cli', 'sdk-cli']),
    weekday: rng.float() * 4 + 1.5,
    weekend: rng.float() * 0.8,
    from: i < 3 ? startMs : startMs + rng.float() * (endMs - startMs) * 0.6,
    until: i === 1 && rng.chance(0.5) ? startMs + (0.5 + rng.float() * 0.4) * (endMs - startMs) : endMs,
    family: rng.pick<ModelFamily>(['opus', 'opus', 'sonnet', 'haiku']),
    requests: rng.int(4, 18),
  }));
  const drafts: Draft[] = [];
  const firstDay = Math.floor((startMs + offset) / DAY) * DAY - offset;
  for (let day = firstDay; day < endMs; day += DAY) {
    const weekday = new Date(day + offset + 12 * HOUR).getUTCDay();
    const workday = weekday !== 0 && weekday !== 6;
    const at = (hourLo: number, hourHi: number): number => day + (hourLo + rng.float() * (hourHi - hourLo)) * HOUR;
    for (let n = poisson(rng, (workday ? 3.2 : 0.35) * activity); n > 0; n--) {
      drafts.push({
        kind: 'interactive',
        entrypoint: rng.chance(0.7) ? 'cli' : 'claude-vscode',
        startMs: rng.chance(0.12) ? at(19, 23.5) : at(8.5, 18),
        project: rng.pick(projects.interactive.slice(0, rng.chance(0.7) ? 4 : 12)),
        turns: rng.int(1, 7),
        requestsPerTurn: rng.int(2, 10),
        family: familyFor(rng, [
          ['opus', 0.6],
          ['sonnet', 0.33],
          ['haiku', 0.05],
          ['frontier', 0.02],
        ]),
        subagentShare: rng.chance(0.4) ? 0.08 : 0,
      });
    }
    for (const job of jobs) {
      if (day + DAY < job.from || day > job.until) continue;
      for (let n = poisson(rng, (workday ? job.weekday : job.weekend) * activity); n > 0; n--) {
        drafts.push({
          kind: 'automation',
          entrypoint: job.entrypoint,
          startMs: workday && rng.chance(0.8) ? at(7, 20) : at(0, 24),
          project: job.project,
          turns: rng.chance(0.8) ? 1 : 2,
          requestsPerTurn: Math.max(1, Math.round(rng.logNormal(job.requests, 0.5))),
          family: rng.chance(0.85)
            ? job.family
            : familyFor(rng, [
                ['opus', 1],
                ['sonnet', 1],
                ['haiku', 1],
              ]),
          subagentShare: rng.chance(0.3) ? 0.06 : 0,
        });
      }
    }
    for (let n = poisson(rng, (workday ? 2.2 : 0.8) * activity); n > 0; n--) {
      drafts.push({
        kind: 'ci',
        entrypoint: rng.chance(0.7) ? 'claude-code-github-action' : 'sdk-cli',
        startMs: at(1, 3.5),
        project: rng.pick(projects.ci),
        turns: 1,
        requestsPerTurn: rng.int(5, 25),
        family: rng.chance(0.8) ? 'sonnet' : 'haiku',
        subagentShare: 0.03,
      });
    }
    if (rng.chance((workday ? 0.1 : 0.04) * activity)) {
      drafts.push({
        kind: 'bigrun',
        entrypoint: rng.pick(['sdk-py', 'sdk-cli', 'sdk-ts']),
        startMs: at(9, 22),
        project: rng.pick(projects.automation),
        turns: rng.int(1, 3),
        requestsPerTurn: rng.int(25, 90),
        family: 'opus',
        subagentShare: 0.05,
      });
    }
  }
  const inRange = drafts.filter((d) => d.startMs >= startMs && d.startMs < endMs).sort((a, b) => a.startMs - b.startMs);
  return finishPlans(rng, inRange, endMs);
}

function finishPlans(rng: Rng, drafts: Draft[], endMs: number): SessionPlan[] {
  const plans: SessionPlan[] = drafts.map((d, index) => {
    const pinned = d.kind === 'ci' ? rng.chance(0.12) : rng.chance(0.04);
    const version = pinned ? rng.pick(PINNED_VERSIONS) : laggedVersionAt(d.startMs, rng.int(0, 12));
    const unknownModel = rng.chance(0.003);
    const model = unknownModel ? UNKNOWN_MODEL_ID : modelAt(rng, d.family, d.startMs, pinned ? 0.8 : 0.15);
    return {
      index,
      kind: d.kind,
      entrypoint: d.entrypoint,
      version,
      startMs: d.startMs,
      project: d.project,
      turns: d.turns,
      requestsPerTurn: d.requestsPerTurn,
      model,
      // Old builds get subagents more often, so every layout shows up even in short ranges.
      subagentShare: pinned ? Math.max(0.12, d.subagentShare) : d.subagentShare,
      fast: rng.chance(d.kind === 'interactive' ? 0.05 : 0.01),
      geoUs: rng.chance(0.015),
      longContext: rng.chance(0.015),
      resumeOf: null,
      resumed: false,
    };
  });
  showcasePinned(rng, plans);
  // Resumed sessions: a later session in the same project copies this one's lines first.
  const count = plans.length;
  for (let i = 0; i < count; i++) {
    const original = plans[i];
    if (original === undefined || original.kind === 'ci' || original.kind === 'bigrun') continue;
    if (!rng.chance(original.kind === 'interactive' ? 0.06 : 0.03)) continue;
    const startMs = original.startMs + (0.5 + rng.float() * 30) * HOUR;
    if (startMs >= endMs) continue;
    original.resumed = true;
    plans.push({ ...original, index: -1, startMs, turns: rng.int(1, 3), resumeOf: i, resumed: false, fast: false });
  }
  plans.sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  const order = new Map<SessionPlan, number>();
  plans.forEach((p, i) => order.set(p, i));
  const byOldIndex = new Map<number, SessionPlan>();
  for (const p of plans) if (p.index >= 0) byOldIndex.set(p.index, p);
  for (const p of plans) {
    if (p.resumeOf !== null) p.resumeOf = order.get(byOldIndex.get(p.resumeOf) as SessionPlan) ?? null;
  }
  plans.forEach((p, i) => (p.index = i));
  return plans;
}

/**
 * Every pinned old build shows up at least once in a tree of 20 sessions or more, with subagents,
 * so each subagent layout and each fallback signal is present even in small trees.
 */
function showcasePinned(rng: Rng, plans: SessionPlan[]): void {
  if (plans.length < 20) return;
  PINNED_VERSIONS.forEach((version, i) => {
    if (plans.some((p) => p.version === version)) return;
    const plan = plans[Math.floor(((i + 0.5) * plans.length) / PINNED_VERSIONS.length)];
    if (plan === undefined) return;
    plan.version = version;
    plan.subagentShare = Math.max(plan.subagentShare, 0.3);
    plan.turns = Math.max(plan.turns, 2);
    plan.requestsPerTurn = Math.max(plan.requestsPerTurn, 6);
    if (plan.model === UNKNOWN_MODEL_ID) return;
    plan.model = modelAt(
      rng,
      plan.model.includes('haiku') ? 'haiku' : plan.model.includes('opus') ? 'opus' : 'sonnet',
      plan.startMs,
      0.8,
    );
  });
}
