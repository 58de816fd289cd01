/** Characters that a terminal would act on, hide or measure differently are shown as escapes. */
import { describe, expect, it } from 'vitest';
import { escapeControls, textWidth } from '../../src/domain/terminal-text.js';

describe('escapeControls', () => {
  it('escapes invisible format characters (zero-width space, marks, word joiner, BOM), keeps emoji joiners', () => {
    expect(escapeControls('night\u200bly')).toBe('night\\u{200b}ly');
    expect(escapeControls('a\u200cb\u200ec\u200fd\u2060e\ufefff\u061cg')).toBe(
      'a\\u{200c}b\\u{200e}c\\u{200f}d\\u{2060}e\\u{feff}f\\u{61c}g',
    );
    // What is drawn is as wide as textWidth says: nothing invisible is left to disagree about.
    expect(textWidth(escapeControls('night\u200bly'))).toBe('night\\u{200b}ly'.length);
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    expect(escapeControls(`team-${family}`)).toBe(`team-${family}`);
    expect(escapeControls('plain/path-ä')).toBe('plain/path-ä');
  });
});
