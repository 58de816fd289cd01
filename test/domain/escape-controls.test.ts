/** Characters that a terminal would act on, hide or measure differently are shown as escapes. */
import { describe, expect, it } from 'vitest';
import { escapeControls, textWidth } from '../../src/domain/terminal-text.js';

describe('escapeControls', () => {
  it('escapes invisible characters (zero-width space, word joiner, BOM), keeps the joiners and marks text needs', () => {
    expect(escapeControls('night\u200bly')).toBe('night\\u{200b}ly');
    expect(escapeControls('d\u2060e\ufefff')).toBe('d\\u{2060}e\\u{feff}f');
    // What Persian and right-to-left names need stays: the zero-width non-joiner, the marks.
    expect(escapeControls('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\u200f')).toBe(
      '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\u200f',
    );
    // What is drawn is as wide as textWidth says: nothing invisible is left to disagree about.
    expect(textWidth(escapeControls('night\u200bly'))).toBe('night\\u{200b}ly'.length);
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    expect(escapeControls(`team-${family}`)).toBe(`team-${family}`);
    expect(escapeControls('plain/path-ä')).toBe('plain/path-ä');
  });
});
