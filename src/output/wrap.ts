/**
 * Word wrap for command output on a terminal (no colour codes counted, no dependencies: the
 * short paths bundle it).
 */
const STYLE = /\u001b\[[0-9;]*m/g;
const visible = (text: string): number => [...text.replace(STYLE, '')].length;

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
