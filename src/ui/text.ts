/** Small text rules of the dashboard: per-request costs, counted nouns, paths, wrapped notices. */
import { homedir } from 'node:os';
import { sep } from 'node:path';
import { clusters, escapeControls, headToWidth, textWidth } from '../domain/terminal-text.js';

/** Per-request costs as the lists show them (state/request-text.ts, which the `/` filter matches too). */
export { requestCost, requestCostText } from '../state/request-text.js';

/** `1 request`, `2 requests`, `1,204 requests` (domain/format.ts countOf). */
export { countOf as counted } from '../domain/format.js';

/** `path` with the home folder written as `~` (the path as given elsewhere). */
export function homeShort(path: string, home: string = homedir()): string {
  if (home === '' || home === sep) return path;
  if (path === home) return '~';
  return path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}

/**
 * Splits `text` into lines of at most `width` columns, breaking after a space or a `/` where it
 * can and mid-word only when a word is longer than a line. Nothing is cut off; control characters
 * come out as visible escapes (a notice can name a path or a user).
 */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  let rest = escapeControls(text);
  while (textWidth(rest) > w) {
    // What fits (at least one character, even one wider than the line), and one column more.
    const fits = Math.max(headToWidth(rest, w).length, rest.codePointAt(0)! > 0xffff ? 2 : 1);
    const head = headToWidth(rest, w + 1);
    // Between words where it can, so a path stays whole on the next line; within a path (after a
    // `/`) only when no space leaves the line at least a third full.
    const space = head.lastIndexOf(' ');
    const at = space > fits / 3 ? space : Math.max(space, head.lastIndexOf('/', fits - 1));
    // A break in the first third wastes a line; cut hard instead.
    const cut = at > fits / 3 ? (head[at] === ' ' ? at : at + 1) : fits;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

/** A model's short name, for a column too narrow for the whole: without `claude-` and a date suffix (`haiku-4-5`). */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/**
 * A short name for each of `models` (shortModel) that no other model of the list shares: two
 * that would read alike (`claude-sonnet-4-5` and `claude-sonnet-4-5-20250929`, both `sonnet-4-5`)
 * keep their date, and if that is not enough, their whole name.
 */
export function distinctShortModels(models: readonly string[]): Map<string, string> {
  const names = [...new Set(models)];
  const clash = (forms: Map<string, string>): Set<string> => {
    const seen = new Map<string, number>();
    for (const form of forms.values()) seen.set(form, (seen.get(form) ?? 0) + 1);
    return new Set([...forms].filter(([, form]) => seen.get(form)! > 1).map(([model]) => model));
  };
  const out = new Map(names.map((m) => [m, shortModel(m)]));
  for (const m of clash(out)) out.set(m, m.replace(/^claude-/, ''));
  for (const m of clash(out)) out.set(m, m);
  return out;
}

/**
 * `text` without its last character as the eye sees one (a grapheme cluster): an emoji made of
 * two UTF-16 units, a flag, a family joined by ZWJs or a letter with its accents goes whole, never
 * leaving half of it behind. A last character below the combining marks is one cluster by itself.
 */
export function withoutLastGrapheme(text: string): string {
  if (text === '') return text;
  if (text.charCodeAt(text.length - 1) < 0x300) return text.slice(0, -1);
  return text.slice(0, text.length - clusters(text).at(-1)!.length);
}
