import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { RequestWriter } from '../../src/store/request-writer.js';
import { fromRow, usageOfRow, type Row } from '../../src/store/request-row.js';
import { listRequests } from '../../src/store/queries.js';
import { reprice } from '../../src/store/reprice.js';
import { bundledPriceTable } from '../../src/app/prices.js';
import { DEFAULT_ENTRYPOINT_CLASSES } from '../../src/domain/classify.js';
import { parseLine } from '../../src/domain/parse-line.js';
import { priceRequest } from '../../src/domain/pricing.js';

/** A request whose every token count differs, so a column read into the wrong field shows. */
const LINE = JSON.stringify({
  type: 'assistant',
  sessionId: 's-row',
  timestamp: '2025-11-03T10:00:00.000Z',
  requestId: 'req-row',
  message: {
    id: 'msg-row',
    model: 'claude-sonnet-4-5-20250929',
    usage: {
      input_tokens: 11,
      output_tokens: 222,
      cache_read_input_tokens: 3333,
      cache_creation_input_tokens: 44_444 + 5_555,
      cache_creation: { ephemeral_5m_input_tokens: 44_444, ephemeral_1h_input_tokens: 5_555 },
      server_tool_use: { web_search_requests: 6, web_fetch_requests: 7 },
    },
  },
});

describe('stored token columns read back', () => {
  it('every reader (dedup merge, request list, reprice) gets the written usage through usageOfRow', () => {
    const parsed = parseLine(LINE);
    if (parsed.kind !== 'request') throw new Error('not a request');
    const record = parsed.record;
    const db = openDatabase(':memory:');
    const w = new RequestWriter(db, { classes: DEFAULT_ENTRYPOINT_CLASSES, priceVersion: 'none', price: () => null });
    const file = w.files.ensure('/r/a.jsonl', '/r', 'transcript');
    w.writeBatch([
      {
        fileId: file.id,
        sessionId: 's-row',
        records: [record],
        merged: { replaced: 0, dropped: 0, copies: 1 },
        file: null,
      },
    ]);

    const row = db.prepare('SELECT * FROM requests').get() as Row;
    expect(usageOfRow(row)).toEqual({
      input: 11,
      output: 222,
      cacheRead: 3333,
      cacheWrite5m: 44_444,
      cacheWrite1h: 5_555,
      webSearch: 6,
      webFetch: 7,
    });
    expect(fromRow(row).record.usage).toEqual(record.usage);
    expect(listRequests(db, {}, { limit: 5 }).map((r) => r.usage)).toEqual([record.usage]);

    const table = bundledPriceTable();
    expect(reprice(db, table, { all: true }).repriced).toBe(1);
    const expected = priceRequest(table, {
      model: record.model,
      ts: record.ts,
      usage: record.usage,
      speed: null,
      inferenceGeo: null,
    });
    expect(expected).toBeGreaterThan(0);
    expect(db.prepare('SELECT cost FROM requests').pluck().get()).toBe(expected);
    db.close();
  });
});
