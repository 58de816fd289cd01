/**
 * Schema changes as numbered migrations, tracked with SQLite's `user_version`.
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: files tailed, requests, fallback signals, skip counts, metadata.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    root TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'transcript',
    dev INTEGER,
    ino INTEGER,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ms REAL NOT NULL DEFAULT 0,
    offset INTEGER NOT NULL DEFAULT 0,
    head_hash TEXT,
    session_id TEXT,
    fhs INTEGER NOT NULL DEFAULT 0,
    queue_first INTEGER NOT NULL DEFAULT 0,
    prompt_sdk INTEGER NOT NULL DEFAULT 0,
    lines INTEGER NOT NULL DEFAULT 0,
    billable_lines INTEGER NOT NULL DEFAULT 0,
    dup_replaced INTEGER NOT NULL DEFAULT 0,
    dup_dropped INTEGER NOT NULL DEFAULT 0,
    no_id_lines INTEGER NOT NULL DEFAULT 0,
    resets INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,
    first_seen_at INTEGER,
    last_read_at INTEGER
  );
  CREATE INDEX files_session ON files(session_id);

  CREATE TABLE file_skips (
    file_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (file_id, reason)
  ) WITHOUT ROWID;

  CREATE TABLE history_sessions (session_id TEXT PRIMARY KEY) WITHOUT ROWID;

  CREATE TABLE requests (
    key TEXT PRIMARY KEY,
    message_id TEXT,
    request_id TEXT,
    session_id TEXT,
    project TEXT,
    git_branch TEXT,
    cc_version TEXT,
    entrypoint TEXT,
    class TEXT NOT NULL,
    agent_id TEXT,
    is_sidechain INTEGER NOT NULL DEFAULT 0,
    model TEXT NOT NULL,
    ts INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_5m_tokens INTEGER NOT NULL,
    cache_write_1h_tokens INTEGER NOT NULL,
    web_search_requests INTEGER NOT NULL,
    web_fetch_requests INTEGER NOT NULL,
    speed TEXT,
    inference_geo TEXT,
    service_tier TEXT,
    cost REAL,
    price_version TEXT,
    source TEXT NOT NULL,
    file_id INTEGER
  );
  CREATE INDEX requests_ts ON requests(ts);
  CREATE INDEX requests_class_ts ON requests(class, ts, cost);
  CREATE INDEX requests_session ON requests(session_id, ts);
  CREATE INDEX requests_unpriced ON requests(model) WHERE cost IS NULL;
  `,
  // 2: per-model sums over a time range (status, dashboard) read the index alone, not the table.
  `
  CREATE INDEX requests_ts_model ON requests(ts, model, class, cost);
  `,
  // 3: telemetry. Requests gain their attribution and where their tokens came from; every received
  // api_request event is kept (a rebuild carries them over: they cannot be read again from logs);
  // counts of what the receiver refused; what `push` delivered to each target.
  `
  ALTER TABLE requests ADD COLUMN origin TEXT NOT NULL DEFAULT 'transcript';
  ALTER TABLE requests ADD COLUMN user_name TEXT;
  ALTER TABLE requests ADD COLUMN repo TEXT;
  ALTER TABLE requests ADD COLUMN workflow TEXT;
  ALTER TABLE requests ADD COLUMN run_id TEXT;
  ALTER TABLE requests ADD COLUMN host TEXT;
  ALTER TABLE requests ADD COLUMN agent_name TEXT;
  ALTER TABLE requests ADD COLUMN skill TEXT;
  ALTER TABLE requests ADD COLUMN cc_cost REAL;
  CREATE INDEX requests_request_id ON requests(request_id);

  CREATE TABLE telemetry_events (
    key TEXT PRIMARY KEY,
    request_id TEXT,
    session_id TEXT,
    prompt_id TEXT,
    model TEXT NOT NULL,
    ts INTEGER NOT NULL,
    entrypoint TEXT,
    cc_version TEXT,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_5m_tokens INTEGER NOT NULL,
    cache_write_1h_tokens INTEGER NOT NULL,
    split_known INTEGER NOT NULL DEFAULT 0,
    web_search_requests INTEGER NOT NULL DEFAULT 0,
    web_fetch_requests INTEGER NOT NULL DEFAULT 0,
    speed TEXT,
    inference_geo TEXT,
    message_id TEXT,
    project TEXT,
    git_branch TEXT,
    class_hint TEXT,
    user_name TEXT,
    repo TEXT,
    workflow TEXT,
    run_id TEXT,
    host TEXT,
    agent_name TEXT,
    skill TEXT,
    cc_cost REAL,
    received_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE telemetry_counts (reason TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;

  CREATE TABLE push_sent (target TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (target, key)) WITHOUT ROWID;
  `,
  // 4: a hash of sampled bytes before each file's offset (an in-place rewrite is read again from
  // the start); requests stamped at implausible times (before 2024, or past the clock) leave the store.
  `
  ALTER TABLE files ADD COLUMN tail_hash TEXT;
  DELETE FROM requests WHERE ts < 1704067200000 OR ts > (CAST(strftime('%s', 'now') AS INTEGER) + 172800) * 1000;
  `,
  // 5: requests_ts_model (ts, model, class, cost) serves every range on ts that requests_ts did,
  // often without the table: the narrower index was one more to build and update for nothing.
  `
  DROP INDEX IF EXISTS requests_ts;
  `,
  // 6: what push sent of each request (its model, class, time and counts): a request whose
  // transcript copy grew after it was sent (a streaming copy, a session still going) is sent
  // again. Marks from before have none and are sent once more (the receiver keeps one copy).
  `
  ALTER TABLE push_sent ADD COLUMN sent TEXT;
  `,
  // 7: events by session and time, to join a pushed transcript copy and Claude Code's own event
  // of one request that have different keys (one of them has no request id). Kept as first
  // released to stores; 8 replaces the index.
  `
  CREATE INDEX telemetry_events_session ON telemetry_events(session_id, ts);
  `,
  // 8: such copies are joined by what they say (session, time, model, counts), and the pair is
  // kept. Events by session, cache reads (which grow with the context, so few requests of a
  // session share them), output and time; those without a request id apart as well (few: every
  // event with one looks among them). The kept events are joined again once, on the first open
  // that writes (app/context.ts): a store that counted such a pair twice mends.
  `
  ALTER TABLE telemetry_events ADD COLUMN joined_to TEXT;
  DROP INDEX IF EXISTS telemetry_events_session;
  CREATE INDEX telemetry_events_session ON telemetry_events(session_id, cache_read_tokens, output_tokens, ts);
  CREATE INDEX telemetry_events_keyless ON telemetry_events(session_id, cache_read_tokens, output_tokens, ts)
    WHERE request_id IS NULL;
  INSERT INTO meta (key, value) VALUES ('telemetry_rejoin', 'migration 8') ON CONFLICT(key) DO UPDATE SET value = excluded.value;
  `,
  // 9: a user named by an email is kept in lower case (its ASCII letters, as lower() makes them):
  // one person is one user and one seat however a machine spells the address.
  `
  UPDATE requests SET user_name = lower(user_name) WHERE user_name LIKE '%@%' AND user_name <> lower(user_name);
  UPDATE telemetry_events SET user_name = lower(user_name) WHERE user_name LIKE '%@%' AND user_name <> lower(user_name);
  `,
  // 10: when each counter last grew, so a refusal line says whether a sender is still set up wrong
  // (counters from before have none).
  `
  ALTER TABLE telemetry_counts ADD COLUMN last_ms INTEGER;
  `,
  // 11: a count over 100 million (more than any request carries, domain/plausible.ts) is
  // bad-usage: requests and events stored with one before leave the store, as they would be
  // refused now (one such count, priced, put billions of dollars on every gauge).
  `
  DELETE FROM requests WHERE max(input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
    cache_write_1h_tokens, web_search_requests, web_fetch_requests) > 100000000;
  DELETE FROM telemetry_events WHERE max(input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
    cache_write_1h_tokens, web_search_requests, web_fetch_requests) > 100000000;
  `,
  // 12: Claude Code's own cost of a request is kept only from $0 to $10 million (domain/plausible.ts):
  // one stored before outside that leaves (the request keeps creditmeter's price from its tokens).
  `
  UPDATE requests SET cc_cost = NULL WHERE cc_cost < 0 OR cc_cost > 10000000;
  UPDATE telemetry_events SET cc_cost = NULL WHERE cc_cost < 0 OR cc_cost > 10000000;
  `,
  // 13: a model is kept in lower case (its ASCII letters, as lower() makes them), as telemetry keeps
  // it (domain/parse-line.ts): a transcript that spelled one in capitals made a row of its own in
  // every list by model. The kept events are joined again once (as after 8): an event without a
  // request id is joined to a copy by its model too, which the capitals kept apart.
  `
  UPDATE requests SET model = lower(model) WHERE model <> lower(model);
  UPDATE telemetry_events SET model = lower(model) WHERE model <> lower(model);
  INSERT INTO meta (key, value) VALUES ('telemetry_rejoin', 'migration 13') ON CONFLICT(key) DO UPDATE SET value = excluded.value;
  `,
  // 14: the transcript row an event without a request id was joined to, so look-alike requests of
  // one session (the same counts within 10 minutes) pair one to one with transcript copies too: a
  // third event beside two such copies was taken into one of them, and a transcript copy read again
  // could take a second event. The kept events are joined again once (as after 8), which gives
  // such an event its own row back.
  `
  ALTER TABLE telemetry_events ADD COLUMN paired_row TEXT;
  CREATE INDEX telemetry_events_paired ON telemetry_events(paired_row) WHERE paired_row IS NOT NULL;
  INSERT INTO meta (key, value) VALUES ('telemetry_rejoin', 'migration 14') ON CONFLICT(key) DO UPDATE SET value = excluded.value;
  `,
];
