/** What `push` sends of a stored request: the attribution telemetry gave it, its host included. */
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRequest } from '../../src/app/push.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { unsentRequests } from '../../src/store/push-state.js';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

type Sent = {
  resourceLogs: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeLogs: Array<{ logRecords: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> }>;
  }>;
};

function add(key: string, host: string | null): void {
  db.prepare(
    `INSERT INTO requests (key, request_id, session_id, class, model, ts, input_tokens, output_tokens, cache_read_tokens,
      cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source, user_name, workflow, host)
     VALUES (?, ?, 's1', 'programmatic', 'claude-sonnet-4-5', 1764000000000, 1, 1, 0, 0, 0, 0, 0, 0.01, 'line', 'u@x.com', 'wf', ?)`,
  ).run(key, `req_${key}`, host);
}

describe('push records', () => {
  it('carry the host an event named, as they carry its user and workflow; else the resource names this machine', () => {
    add('a', 'event-host');
    add('b', null);
    const sent = exportRequest(unsentRequests(db, 'http://t', 10, null)) as Sent;
    const logs = sent.resourceLogs[0]!;
    expect(logs.resource.attributes).toContainEqual({ key: 'host.name', value: { stringValue: hostname() } });
    const attrs = logs.scopeLogs[0]!.logRecords.map(
      (r) => new Map(r.attributes.map((a) => [a.key, a.value.stringValue])),
    );
    expect(
      attrs.map((a) => [a.get('request_id'), a.get('host.name'), a.get('user.email'), a.get('workflow.name')]),
    ).toEqual([
      ['req_a', 'event-host', 'u@x.com', 'wf'],
      ['req_b', undefined, 'u@x.com', 'wf'],
    ]);
  });
});
