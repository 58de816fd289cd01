/**
 * Word wrap for command output on a terminal (no colour codes counted, no dependencies: the
 * short paths bundle it).
 */
const STYLE = /\u001b\[[0-9;]*m/g;
/**
 * Characters two columns wide on a terminal: CJK, Hangul, fullwidth forms and the common emoji
 * blocks (a close count without the width package, which the short paths do not load).
 */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u{1f200}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f900}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}]/u;
/** Columns `text` takes, colour sequences aside. */
function visible(text: string): number {
  const plain = text.replace(STYLE, '');
  let n = 0;
  for (const c of plain) n += c.charCodeAt(0) < 0x1100 ? 1 : 1 + Number(WIDE.test(c));
  return n;
}

/**
 * `line` in lines of at most `columns` visible characters, broken between words; the lines after
 * the first start under the text after the line's label (`Burn      `, `Interactive  `), or at
 * `indent` when it is given.
 */
export function wrapLine(line: string, columns: number, indent?: string): string[] {
  if (visible(line) <= columns) return [line];
  const lead = /^ */.exec(line)![0];
  const label = /^(?:\S+ {2,}| {2,})/.exec(line.replace(STYLE, ''))?.[0].length ?? 0;
  indent ??= ' '.repeat(label > 0 && label <= Math.min(14, columns / 3) ? label : 2);
  const out: string[] = [];
  let current = lead;
  let width = lead.length;
  let words = 0;
  for (const word of line.slice(lead.length).split(' ')) {
    const w = visible(word);
    if (words > 0 && width + 1 + w > columns && word !== '') {
      out.push(current.trimEnd());
      current = indent + word;
      width = indent.length + w;
    } else {
      current += (words > 0 ? ' ' : '') + word;
      width += (words > 0 ? 1 : 0) + w;
    }
    words++;
  }
  out.push(current);
  return out;
}

/**
 * `text` (one or more lines) for a terminal of `columns`, leaving its last column free: each line
 * broken between words as wrapLine does (`indent` as there); as it is when `columns` is unknown (a
 * pipe) or too few to wrap into.
 */
export function wrapText(text: string, columns: number | undefined, indent?: string): string {
  if (columns === undefined || columns < 20) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, columns - 1, indent))
    .join('\n');
}
