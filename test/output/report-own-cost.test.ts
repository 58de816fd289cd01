import { describe, expect, it } from 'vitest';
import { ownCostLine, type ReportData } from '../../src/output/report-data.js';

const data = (creditmeterCost: number, claudeCodeCost: number, requests = 25): ReportData =>
  ({
    by: 'workflow',
    rows: [],
    totals: {} as ReportData['totals'],
    unpriced: [],
    ownCost: { requests, creditmeterCost, claudeCodeCost },
  }) as ReportData;

describe("the line comparing Claude Code's own estimate", () => {
  it('signs a difference that shows, and not one that rounds to nothing', () => {
    expect(ownCostLine(data(0.2625, 0.26250001))).toMatch(/\(difference \$0\.0000\)\.$/);
    expect(ownCostLine(data(0.2625, 0.2625))).toMatch(/\(difference \$0\.0000\)\.$/);
    expect(ownCostLine(data(1.5, 1.25))).toMatch(/\(difference \+\$0\.2500, \+20\.0%\)\.$/);
    expect(ownCostLine(data(1.25, 1.5))).toMatch(/\(difference -\$0\.2500, -16\.7%\)\.$/);
    expect(ownCostLine(data(1, 1, 0))).toBeNull();
    expect(ownCostLine(data(80.31, 100, 2000))).toMatch(
      /for 2,000 of these requests: \$100\.00; .*\(difference -\$19\.69, -19\.7%\)\.$/,
    );
  });

  it('keeps four decimals under $10, where two would show one amount for a gap of 3%', () => {
    expect(ownCostLine(data(0.07756, 0.0753))).toBe(
      "Claude Code's own estimate (telemetry cost_usd) for 25 of these requests: $0.0753; creditmeter prices them at $0.0776 (difference +$0.0023, +3.0%).",
    );
  });
});
