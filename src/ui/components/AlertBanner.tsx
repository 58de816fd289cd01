import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { countOf, formatUsd } from '../../domain/format.js';
import type { StatusReport } from '../../domain/status-types.js';
import type { AlertState } from '../../state/types.js';
import { fit, fitFields } from '../bars.js';
import { useTone } from '../theme.js';

/**
 * The banner's lines: the credit level reached, then the seat nearest its own credit (when seats
 * have one), then unpriced models. The level used comes first;
 * a higher level projected for the cycle end is said with it (80% used and heading for 100% is
 * the news), as room allows; a projected level alone has the line to itself.
 */
export function alertLines(
  alerts: AlertState,
  status: StatusReport,
  width = Infinity,
): Array<{ text: string; severe: boolean }> {
  const out: Array<{ text: string; severe: boolean }> = [];
  const credit = formatUsd(status.cycle.credit);
  const p50 = formatUsd(status.forecast.cycleEndSpend.p50);
  const projected = alerts.projected;
  if (alerts.used !== null) {
    const above = projected !== null && projected > alerts.used;
    out.push({
      text: fitFields(
        [
          {
            forms: [
              `▲ ${alerts.used}% of the credit used: ${formatUsd(status.credit.used)} of ${credit}`,
              `▲ ${alerts.used}% of the credit used`,
              `▲ ${alerts.used}% used`,
            ],
            priority: 0,
          },
          {
            forms: above
              ? [
                  `projected to reach ${projected}% by cycle end (P50 ${p50})`,
                  `projected ${projected}% by cycle end`,
                  `projected ${projected}%`,
                ]
              : [''],
            priority: 1,
          },
        ],
        width,
      ),
      severe: alerts.used === 100 || (above && projected === 100),
    });
  } else if (projected !== null) {
    out.push({
      text: fitFields(
        [
          {
            forms: [
              `▲ projected to reach ${projected}% of the credit by cycle end`,
              `▲ projected: ${projected}% of the credit by cycle end`,
              `▲ projected ${projected}% of the credit`,
            ],
            priority: 0,
          },
          { forms: [`(P50 ${p50} of ${credit})`], priority: 1 },
        ],
        width,
        ' ',
      ),
      severe: projected === 100,
    });
  }
  const seat = alerts.seat;
  if (seat !== null) {
    const who = seat.user;
    const level = seat.used ?? seat.projected!;
    const above = seat.used !== null && seat.projected !== null && seat.projected > seat.used;
    const others = seat.others > 0 ? `+${seat.others} more seat${seat.others === 1 ? '' : 's'} past 80%` : '';
    out.push({
      text: fitFields(
        [
          {
            forms:
              seat.used !== null
                ? [
                    `▲ seat ${who}: ${level}% of its ${formatUsd(seat.credit)} used`,
                    `▲ seat ${who}: ${level}% used`,
                    `▲ a seat: ${level}% used`,
                  ]
                : [
                    `▲ seat ${who} projected to reach ${level}% of its ${formatUsd(seat.credit)}`,
                    `▲ seat ${who} projected ${level}%`,
                    `▲ a seat projected ${level}%`,
                  ],
            priority: 0,
          },
          { forms: above ? [`projected ${seat.projected}%`] : [''], priority: 1 },
          { forms: others ? [others, `+${seat.others} more`] : [''], priority: 2 },
        ],
        width,
      ),
      severe: level === 100 || (above && seat.projected === 100),
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
          { forms: [names, countOf(alerts.unpriced.length, 'model')], priority: 1 },
          { forms: ['· add prices with --prices FILE'], priority: 2 },
        ],
        width,
        ' ',
        // Too narrow for the models: no colon left hanging.
      ).replace(/:$/, ''),
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
