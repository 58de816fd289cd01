import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatUsd } from '../../domain/format.js';
import type { StatusReport } from '../../domain/status-types.js';
import type { AlertState } from '../../state/types.js';
import { fit, fitFields } from '../bars.js';
import { useTone } from '../theme.js';

/** The banner's lines: the credit level reached (used, else projected), then unpriced models. */
export function alertLines(
  alerts: AlertState,
  status: StatusReport,
  width = Infinity,
): Array<{ text: string; severe: boolean }> {
  const out: Array<{ text: string; severe: boolean }> = [];
  const credit = formatUsd(status.cycle.credit);
  if (alerts.used !== null) {
    out.push({
      text: fitFields(
        [
          { forms: [`▲ ${alerts.used}% of the credit used`], priority: 0 },
          { forms: [`${formatUsd(status.credit.used)} of ${credit}`], priority: 1 },
        ],
        width,
        ': ',
      ),
      severe: alerts.used === 100,
    });
  } else if (alerts.projected !== null) {
    const p50 = formatUsd(status.forecast.cycleEndSpend.p50);
    out.push({
      text: fitFields(
        [
          {
            forms: [
              `▲ projected to reach ${alerts.projected}% of the credit by cycle end`,
              `▲ projected: ${alerts.projected}% of the credit by cycle end`,
              `▲ projected ${alerts.projected}% of the credit`,
            ],
            priority: 0,
          },
          { forms: [`(P50 ${p50} of ${credit})`], priority: 1 },
        ],
        width,
        ' ',
      ),
      severe: alerts.projected === 100,
    });
  }
  if (alerts.unpriced.length > 0) {
    const names = alerts.unpriced.map((u) => `${u.model} (${u.requests} req)`).join(', ');
    out.push({
      text: fitFields(
        [
          {
            forms: ['? unpriced models, not counted in any total:', '? unpriced, not in any total:', '? unpriced:'],
            priority: 0,
          },
          { forms: [names, `${alerts.unpriced.length} model(s)`], priority: 1 },
          { forms: ['; add prices with --prices FILE'.slice(2)], priority: 2 },
        ],
        width,
        ' ',
      ),
      severe: false,
    });
  }
  return out;
}

/** Alert lines in red (100 %) or yellow; renders nothing without alerts. */
export function AlertBanner({
  alerts,
  status,
  width,
}: {
  alerts: AlertState;
  status: StatusReport;
  width: number;
}): JSX.Element | null {
  const tone = useTone();
  const lines = alertLines(alerts, status, width);
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      {lines.map((l) => (
        <Text key={l.text} bold color={tone(l.severe ? 'red' : 'yellow')} wrap="truncate-end">
          {fit(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}
