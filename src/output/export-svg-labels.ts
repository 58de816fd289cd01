/**
 * Chart labels placed where no drawn line crosses them: each label lists the spots it may take, in
 * order of preference, and gets the first one clear of every line and of the labels placed before.
 */
import { text } from './export-svg.js';

/** A rectangle by its corners (x1 < x2, y1 < y2), in viewBox units. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A straight stretch of a drawn line, x1 y1 x2 y2. */
export type Segment = readonly [number, number, number, number];

/** Where a label may go: its text anchor point, as `<text x y text-anchor>` takes it. */
export interface Spot {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

export interface LabelSpec {
  content: string;
  cls: string;
  spots: readonly Spot[];
}

/** The chart labels' font size (export-html-style.ts: .axis, .label-credit, .label-p50). */
const FONT = 11;
/**
 * A generous width a character: system-ui draws these labels at about 0.53 em a character in
 * Chromium; the surplus keeps a gap between a label and a line that passes beside it.
 */
const CHAR_EM = 0.62;

/** The box a label's text covers at `spot`, ascenders and descenders included. */
export function labelBox(content: string, spot: Spot): Box {
  const w = content.length * FONT * CHAR_EM;
  const x1 = spot.anchor === 'start' ? spot.x : spot.anchor === 'end' ? spot.x - w : spot.x - w / 2;
  return { x1: x1 - 1, y1: spot.y - FONT, x2: x1 + w + 1, y2: spot.y + 3 };
}

/** Whether a segment passes through a box (Liang-Barsky clipping). */
export function crosses(s: Segment, b: Box): boolean {
  const [x1, y1, x2, y2] = s;
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, x1 - b.x1],
    [dx, b.x2 - x1],
    [-dy, y1 - b.y1],
    [dy, b.y2 - y1],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
      if (t0 > t1) return false;
    }
  }
  return true;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function inside(b: Box, area: Box): boolean {
  return b.x1 >= area.x1 && b.x2 <= area.x2 && b.y1 >= area.y1 && b.y2 <= area.y2;
}

/**
 * Renders the labels, each at its first spot inside `area` that no segment crosses and no earlier
 * label overlaps (its first spot when none is clear). Every label also gets the `plate` class: a
 * halo of the page colour behind the glyphs, so a grid line never runs through the text. Draw the
 * result after the lines.
 */
export function placeLabels(labels: readonly LabelSpec[], lines: readonly Segment[], area: Box): string {
  const placed: Box[] = [];
  return labels
    .map((label) => {
      const clear = (spot: Spot): boolean => {
        const box = labelBox(label.content, spot);
        return inside(box, area) && !lines.some((s) => crosses(s, box)) && !placed.some((p) => overlaps(p, box));
      };
      const spot = label.spots.find(clear) ?? label.spots[0];
      if (spot === undefined) return '';
      placed.push(labelBox(label.content, spot));
      return text(spot.x, spot.y, label.content, `${label.cls} plate`, spot.anchor);
    })
    .join('');
}

/** The segments of a polyline through `points`. */
export function polylineSegments(points: ReadonlyArray<readonly [number, number]>): Segment[] {
  const out: Segment[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a !== undefined && b !== undefined) out.push([a[0], a[1], b[0], b[1]]);
  }
  return out;
}
