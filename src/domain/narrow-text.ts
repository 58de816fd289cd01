/**
 * Printable ASCII and characters each one column wide in every copy of `string-width` (a test
 * checks each against each copy installed), none of which joins a neighbour into one cluster:
 * the gauges' blocks, `·`, arrows, box drawing. Such a text is as wide as it is long, one
 * character a UTF-16 unit, and is measured and cut without the package or Intl.Segmenter (whose
 * first use loads ICU's break-iterator data: 10-15 ms before a first frame).
 */
export const NARROW_TEXT =
  /^[\u0020-\u007e\u00a0-\u00a8\u00aa-\u00ac\u00af-\u00ff\u2010-\u2027\u2030-\u203b\u203d-\u2048\u204a-\u205e\u2190-\u2193\u219a-\u21a8\u21ab-\u21ff\u23ce\u2500-\u25a9\u25ac-\u25b5\u25b7-\u25bf\u25c1-\u25fa]*$/;
