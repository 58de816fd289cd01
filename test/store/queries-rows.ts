/** Test helper: inserts request rows straight into a store opened with the real migrations. */
import type { Db } from '../../src/store/database.js';
import type { RequestClass } from '../../src/domain/types.js';

export interface RowSpec {
  key: string;
  ts: string | number;
  model?: string;
  cls?: RequestClass;
  project?: string | null;
  session?: string | null;
  entrypoint?: string | null;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  webSearch?: number;
  speed?: string | null;
  geo?: string | null;
  /** undefined = 0.01; null = unpriced. */
  cost?: number | null;
}

/** Inserts `rows` in one transaction; returns how many. */
export function insertRows(db: Db, rows: RowSpec[]): number {
  const stmt =
    db.prepare(`INSERT INTO requests (key, message_id, request_id, session_id, project, git_branch, cc_version, entrypoint,
    class, agent_id, is_sidechain, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
    cache_write_1h_tokens, web_search_requests, web_fetch_requests, speed, inference_geo, service_tier, cost, price_version, source, file_id)
    VALUES (@key, @key, NULL, @session, @project, 'main', '2.1.0', @entrypoint, @cls, NULL, 0, @model, @ts, @input, @output, @cacheRead,
    @cacheWrite5m, @cacheWrite1h, @webSearch, 0, @speed, @geo, 'standard', @cost, @version, 'line', NULL)`);
  db.transaction(() => {
    for (const r of rows) {
      const cost = r.cost === undefined ? 0.01 : r.cost;
      stmt.run({
        key: r.key,
        ts: typeof r.ts === 'number' ? r.ts : Date.parse(r.ts),
        model: r.model ?? 'claude-opus-4-7',
        cls: r.cls ?? 'programmatic',
        project: r.project === undefined ? '/home/u/app' : r.project,
        session: r.session === undefined ? 's1' : r.session,
        entrypoint: r.entrypoint === undefined ? 'sdk-cli' : r.entrypoint,
        input: r.input ?? 0,
        output: r.output ?? 0,
        cacheRead: r.cacheRead ?? 0,
        cacheWrite5m: r.cacheWrite5m ?? 0,
        cacheWrite1h: r.cacheWrite1h ?? 0,
        webSearch: r.webSearch ?? 0,
        speed: r.speed ?? null,
        geo: r.geo ?? null,
        cost,
        version: cost === null ? null : 'test',
      });
    }
  })();
  return rows.length;
}
