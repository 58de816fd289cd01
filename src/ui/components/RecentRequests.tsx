import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { RequestClass, StoredRequest } from '../../domain/types.js';
import { cell, tailPath } from '../bars.js';
import { requestTime } from '../format-time.js';
import { distinctShortModels, requestCostText } from '../text.js';
import { useTone } from '../theme.js';
import { escapeControls, textWidth } from '../../domain/terminal-text.js';

export interface RecentRequestsProps {
  requests: StoredRequest[];
  count: number;
  width: number;
  tz: string;
  /** Requests of another day than this one show their date. */
  nowMs: number;
  /** The viewed cycle has ended (no "yet" when it had no requests). */
  past?: boolean;
  /** The class the view is filtered to: with none shown, the line says none of that class. */
  classFilter?: RequestClass | 'all';
  /** The cycle's models: short names are told apart over them, as in the model list. */
  models?: readonly string[];
}

/** The classes as the lists' tags and the line under the list name them. */
const CLASS_SHORT = { programmatic: 'prog', interactive: 'int', unknown: 'unk' } as const;
/** The class column: the longest name and a space. */
const CLASS_W = 5;

/** Where a request ran: its project, else the repository telemetry named (a request known only from telemetry), else "-". */
export function whereFrom(r: StoredRequest): string {
  return r.project ?? r.attribution?.repo ?? '-';
}

/** The newest requests, newest first: time (with the date when not today), model, class, project (or repository), cost. */
export function RecentRequests({
  requests,
  count,
  width,
  tz,
  nowMs,
  past = false,
  classFilter = 'all',
  models: cycleModels = [],
}: RecentRequestsProps): JSX.Element {
  const tone = useTone();
  const shown = requests.slice(0, count);
  const times = shown.map((r) => requestTime(r.ts, nowMs, tz));
  const costs = shown.map((r) => requestCostText(r.cost));
  // Time, model and cost always; the class and then the project only where they fit whole.
  const timeW = times.reduce((w, t) => Math.max(w, t.length + 1), 9);
  const costW = costs.reduce((w, c) => Math.max(w, c.length + 1), 6);
  const rest = width - timeW - costW;
  // Whole names where they fit the column's cap, else short ones; the column as wide as they are.
  const cap = Math.max(10, Math.min(width >= 120 ? 28 : 20, rest - 1));
  // Named alike down the column: all short when one does not fit whole, or when short names let
  // a project (or repository) that would be cut show whole, or more of it.
  // Short names told apart over the cycle's models and the requests read, not only those on screen:
  // a dated id and its alias read alike nowhere.
  const shortOf = distinctShortModels([...cycleModels, ...requests.map((r) => r.model)]);
  const columns = (short: boolean) => {
    const models = shown.map((r) => (short ? (shortOf.get(r.model) ?? r.model) : r.model));
    const modelW = Math.max(
      10,
      Math.min(
        cap,
        models.reduce((w, m) => Math.max(w, textWidth(escapeControls(m))), 0),
      ),
    );
    let left = rest - modelW - 1;
    const showClass = left >= CLASS_W;
    if (showClass) left -= CLASS_W;
    return { models, modelW, showClass, projectW: left >= 9 ? Math.min(60, left - 1) : 0 };
  };
  let layout = columns(shown.some((r) => textWidth(escapeControls(r.model)) > cap));
  const where = shown.reduce((w, r) => Math.max(w, textWidth(escapeControls(whereFrom(r)))), 0);
  if (layout.projectW < where) {
    const shorter = columns(true);
    if (shorter.projectW > layout.projectW) layout = shorter;
  }
  const { models, modelW, showClass, projectW } = layout;
  return (
    <Box flexDirection="column">
      <Text bold>Recent requests</Text>
      {shown.length === 0 ? (
        <Text color={tone('gray')}>
          {`  ${classFilter === 'all' ? 'none' : `no ${classFilter} requests`} in this cycle${past ? '' : ' yet'}`}
        </Text>
      ) : null}
      {shown.map((r, i) => (
        <Text key={r.key} wrap="truncate-end">
          {cell(times[i] ?? '', timeW)}
          {cell(models[i] ?? '', modelW)}{' '}
          {showClass ? (
            <Text color={r.class === 'programmatic' ? tone('yellow') : tone('gray')}>
              {cell(CLASS_SHORT[r.class], CLASS_W)}
            </Text>
          ) : null}
          {projectW > 0 ? `${cell(tailPath(whereFrom(r), projectW), projectW)} ` : ''}
          {cell(costs[i] ?? '', costW - 1, true)}
        </Text>
      ))}
    </Box>
  );
}
