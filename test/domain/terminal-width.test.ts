/** Widths as terminals draw them: a name never pushes its line past the pane's edge. */
import { describe, expect, it } from 'vitest';
import { headToWidth, padToWidth, tailToWidth, textWidth } from '../../src/domain/terminal-text.js';

describe('textWidth', () => {
  it('counts an emoji with a skin tone as the two emoji a terminal that does not join them draws', () => {
    expect(textWidth('👍')).toBe(2);
    expect(textWidth('🏽')).toBe(2);
    expect(textWidth('👍🏽')).toBe(4);
    expect(textWidth('/srv/thumb👍🏽👋🏿')).toBe(10 + 8);
    // Other emoji as before: a flag, a ZWJ family, a heart with its presentation selector.
    expect(textWidth('🇯🇵')).toBe(2);
    expect(textWidth('👨‍👩‍👧')).toBe(2);
    expect(textWidth('❤️')).toBe(2);
  });

  it('cuts and pads by the same count, never splitting the pair', () => {
    expect(headToWidth('a👍🏽b', 4)).toBe('a');
    expect(headToWidth('a👍🏽b', 5)).toBe('a👍🏽');
    expect(tailToWidth('a👍🏽b', 4)).toBe('b');
    expect(tailToWidth('a👍🏽b', 5)).toBe('👍🏽b');
    expect(padToWidth('👍🏽', 6)).toBe('👍🏽  ');
  });
});
