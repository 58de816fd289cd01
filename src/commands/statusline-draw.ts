/**
 * Draws the status line from the store: what `statusline` does when the session's last line no
 * longer holds. Kept apart from the fast path (commands/statusline.ts), which loads without it; the
 * build gives this module a file of its own that the fast path's single-file bundle imports.
 */
import type { GlobalFlags } from '../app/config.js';
import { openApp } from '../app/context.js';
import { placeInRoots } from '../ingest/roots.js';
import { lineValidUntil, statusLineFigures, statuslineCachePath, worthTailing } from '../app/statusline.js';
import { keepLine, type LineQuery } from '../app/statusline-fast.js';
import type { HookInput } from '../domain/official-limits.js';
import { formatStatusLine } from '../output/export-statusline.js';
import { getMeta } from '../store/database.js';
import { CLASS_MAPPING_META, classMappingKey } from '../domain/classify.js';

/**
 * Tail the session's transcript only when what is left to read (from the stored offset, or the
 * whole file when it is new or was replaced) is quick to read; more waits for `ingest` or the dashboard.
 */
export const TAIL_MAX_BYTES = 8 << 20;

/** Opens the store, tails the session's transcript when that is quick, draws the line and keeps it. */
export async function drawStatusLine(
  flags: GlobalFlags,
  hook: HookInput,
  query: LineQuery,
  nowMs: number,
): Promise<string> {
  const ctx = openApp(flags);
  let line: string;
  try {
    // Another process writing: wait at most a moment, then draw from what is stored.
    ctx.db.pragma('busy_timeout = 25');
    try {
      // The session's transcript when tailing it is quick, named as the catch-up stored it (a path
      // through a symbolic link is placed by where it leads): its stored offset decides.
      const placed = query.transcript === null ? null : placeInRoots(query.transcript, ctx.config.roots);
      const tail = placed !== null && worthTailing(ctx.db, placed.path, TAIL_MAX_BYTES) ? [placed.path] : [];
      // Classes set anew since the store was last read: one run classifies its rows again (with
      // the tail, or alone).
      const remap = getMeta(ctx.db, CLASS_MAPPING_META) !== classMappingKey(ctx.config.classes);
      if (tail.length > 0 || remap) {
        const { ingestPaths } = await import('../ingest/pipeline.js');
        await ingestPaths(ctx, tail);
      }
    } catch {
      // A busy or failing read only delays the figures; the line is still drawn.
    }
    const figures = await statusLineFigures(
      ctx.db,
      ctx.config.plan,
      ctx.prices.version,
      nowMs,
      statuslineCachePath(ctx.config.dbPath),
      { id: hook.sessionId, ccCostUsd: hook.ccCostUsd },
    );
    line = formatStatusLine(figures, { color: query.color });
  } finally {
    ctx.close();
  }
  keepLine(query, line, lineValidUntil(ctx.config.plan, nowMs));
  return line;
}
