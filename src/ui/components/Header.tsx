import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { PLAN_LABELS, type StatusReport } from '../../domain/status-types.js';
import { formatDuration, formatUsd, formatPercent } from '../../domain/format.js';
import type { CatchUpProgress } from '../../state/types.js';
import { bar, fit, fitFields } from '../bars.js';
import { requestTime } from '../format-time.js';
import { cycleDays } from '../../domain/cycle.js';
import { useTone } from '../theme.js';

/** `Max 5x $100.00`, with seats for team plans (`$20.00/seat` when each seat has its own credit). */
export function planLabel(cycle: StatusReport['cycle'], perSeat = false): string {
  const seats = cycle.seats > 1 ? ` x${cycle.seats} seats` : '';
  const credit = perSeat && cycle.seats > 1 ? `${formatUsd(cycle.credit / cycle.seats)}/seat` : formatUsd(cycle.credit);
  return `${PLAN_LABELS[cycle.plan]}${seats} ${credit}`;
}

/** Whether the plan is assumed (no config names one), or how to ask at each draw. */
export type PlanAssumed = boolean | (() => boolean);

export interface HeaderProps {
  status: StatusReport;
  nowMs: number;
  width: number;
  cycleOffset: number;
  watching: boolean;
  /** Set when the logs are checked every so many ms instead of watched (see DashboardState). */
  pollEveryMs: number | null;
  /** Roots (or their projects folders) missing now: watched for their return, said beside "live". */
  missingRoots?: number;
  /** The live reads fail (the notice below says why): the live line says so instead of "live". */
  readsFailing?: boolean;
  lastRequestMs: number | null;
  catchUp: CatchUpProgress | null;
  /** Plan not configured: name what was assumed (asked at each draw when a function: it may be set meanwhile). */
  planAssumed: PlanAssumed;
  /** The demo history is shown: the first line says so, at every width. */
  demo?: boolean;
}

/** Line 1: plan, credit, cycle dates, days left, zone. Line 2: live indicator or catch-up progress. */
export function Header(p: HeaderProps): JSX.Element {
  const tone = useTone();
  const { cycle } = p.status;
  const tz = cycle.timezone;
  const endMs = Date.parse(cycle.end);
  const left = p.cycleOffset === 0 ? `${formatDuration(Math.max(0, endMs - p.nowMs))} left` : 'past cycle';
  // The hint to set the real plan needs room; narrow screens keep the word that matters.
  const assumed = (typeof p.planAssumed === 'function' ? p.planAssumed() : p.planAssumed)
    ? p.width >= 140
      ? ' (assumed; set it: creditmeter config set plan max5x)'
      : ' (assumed)'
    : '';
  const plan = planLabel(cycle, p.status.seats !== undefined);
  const line1 = fitFields(
    [
      { forms: [p.demo === true ? 'creditmeter demo' : 'creditmeter'], priority: 0 },
      { forms: [`${plan}${assumed}`, plan], priority: 1 },
      // A past cycle's days say which one is on screen: they go last.
      { forms: [cycleDays(Date.parse(cycle.start), endMs - 1, p.nowMs, tz)], priority: p.cycleOffset === 0 ? 3 : 0.5 },
      { forms: [left], priority: 2 },
      { forms: [tz], priority: 4 },
    ],
    p.width,
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {fit(line1, p.width)}
      </Text>
      {p.catchUp ? <CatchUpLine progress={p.catchUp} width={p.width} /> : <LiveLine {...p} tone={tone} />}
    </Box>
  );
}

function LiveLine(p: HeaderProps & { tone: ReturnType<typeof useTone> }): JSX.Element {
  const polled = p.watching && p.pollEveryMs ? ` (checked every ${Math.round(p.pollEveryMs / 1000)} s)` : '';
  // A root gone (or not made yet) is watched for its return, but reads nothing meanwhile.
  const missing = p.missingRoots ?? 0;
  const gone = p.watching && missing > 0 ? `, ${missing} root${missing === 1 ? '' : 's'} missing` : '';
  const failing = p.watching && p.readsFailing === true;
  const state = failing ? '▲ watching, reads failing' : p.watching ? `● live${polled}${gone}` : '○ not watching';
  const at = p.lastRequestMs === null ? null : requestTime(p.lastRequestMs, p.nowMs, p.status.cycle.timezone);
  // The longest form that fits beside the state (Ink keeps the last column free).
  const room = p.width - 1 - state.length - 3;
  const last = (at === null ? ['no requests yet', 'none yet'] : [`last request ${at}`, `last ${at}`, at]).find(
    (f) => f.length <= room,
  );
  return (
    <Text wrap="truncate-end">
      <Text color={failing ? p.tone('red') : p.watching ? p.tone(polled || gone ? 'yellow' : 'green') : p.tone('gray')}>
        {state}
      </Text>
      {last === undefined ? null : <Text> · {last}</Text>}
    </Text>
  );
}

/** The catch-up notice: a progress bar by bytes (files when sizes are unknown). */
export function CatchUpLine({ progress, width }: { progress: CatchUpProgress; width: number }): JSX.Element {
  const tone = useTone();
  const fraction =
    progress.bytesTotal > 0
      ? progress.bytesDone / progress.bytesTotal
      : progress.filesTotal > 0
        ? progress.filesDone / progress.filesTotal
        : 0;
  const label = `Catching up on the logs ${formatPercent(fraction)} (${progress.filesDone}/${progress.filesTotal} files) `;
  const barWidth = Math.max(5, Math.min(30, width - label.length - 2));
  return (
    <Text wrap="truncate-end">
      <Text color={tone('yellow')}>{label}</Text>
      <Text color={tone('cyan')}>{bar(fraction, barWidth, '░')}</Text>
    </Text>
  );
}
