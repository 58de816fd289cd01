import { describe, expect, it } from 'vitest';
import { cleanLine, hashText, mergeCopies, parseLine, parseUsage } from '../../src/domain/parse-line.js';
import type { RequestRecord } from '../../src/domain/types.js';

const usage = { input_tokens: 3, output_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 50 };
const line = (over: Record<string, unknown> = {}, msg: Record<string, unknown> = {}): string =>
  JSON.stringify({
    type: 'assistant',
    uuid: 'u-1',
    sessionId: 's-1',
    cwd: '/p',
    timestamp: '2025-10-15T10:00:00.000Z',
    requestId: 'req_1',
    message: { id: 'msg_1', model: 'claude-sonnet-4-5-20250929', usage, ...msg },
    ...over,
  });

function record(text: string): RequestRecord {
  const p = parseLine(text);
  if (p.kind !== 'request') throw new Error(`not a request: ${JSON.stringify(p)}`);
  return p.record;
}

describe('parseLine', () => {
  it('reads a billable assistant line: key, ids, tokens, metadata', () => {
    const r = record(line({ entrypoint: 'sdk-cli', gitBranch: 'main', version: '2.1.90' }));
    expect(r).toMatchObject({
      key: 'msg_1:req_1',
      messageId: 'msg_1',
      requestId: 'req_1',
      sessionId: 's-1',
      project: '/p',
      entrypoint: 'sdk-cli',
    });
    expect(r.ts).toBe(Date.parse('2025-10-15T10:00:00.000Z'));
    expect(r.usage).toEqual({
      input: 3,
      output: 10,
      cacheRead: 100,
      cacheWrite5m: 50,
      cacheWrite1h: 0,
      webSearch: 0,
      webFetch: 0,
    });
    expect(r.source).toBe('line');
  });

  it('is not billable for other types, assistant lines without usage, and <synthetic>', () => {
    expect(parseLine(line({ type: 'user' })).kind).toBe('none');
    expect(parseLine(JSON.stringify({ type: 'assistant', message: { id: 'm', model: 'x' } })).kind).toBe('none');
    expect(parseLine(line({}, { model: '<synthetic>' })).kind).toBe('none');
    expect(parseLine('').kind).toBe('none');
  });

  it('reads a subagent message embedded in a progress line as a progress copy', () => {
    const inner = {
      type: 'assistant',
      timestamp: '2025-10-15T11:00:00.000Z',
      requestId: 'req_9',
      message: { id: 'msg_9', model: 'm', usage },
    };
    const r = record(
      JSON.stringify({
        type: 'progress',
        sessionId: 's-2',
        timestamp: '2025-10-15T12:00:00.000Z',
        data: { type: 'agent_progress', agentId: 'a1', message: inner },
      }),
    );
    expect(r).toMatchObject({
      key: 'msg_9:req_9',
      source: 'progress',
      agentId: 'a1',
      sessionId: 's-2',
      isSidechain: true,
    });
    expect(r.ts).toBe(Date.parse('2025-10-15T11:00:00.000Z'));
  });

  it('keeps a model in lower case, as telemetry does, however the line spells it', () => {
    expect(record(line({}, { model: 'CLAUDE-Opus-4-7' })).model).toBe('claude-opus-4-7');
    expect(record(line({}, { model: 'claude-opus-4-7' })).model).toBe('claude-opus-4-7');
  });

  it('strips a BOM and a CR', () => {
    expect(cleanLine('\ufeff{"a":1}\r')).toBe('{"a":1}');
    expect(record('\ufeff' + line() + '\r').key).toBe('msg_1:req_1');
  });

  it('skips with a reason: malformed, not an object, bad usage, missing model/timestamp', () => {
    expect(parseLine('{"type":"assistant"')).toEqual({ kind: 'skip', reason: 'malformed-json' });
    expect(parseLine('[1]')).toEqual({ kind: 'skip', reason: 'not-an-object' });
    // 100,000,001 tokens: more than a request can carry (priced, a corrupted count would be billions).
    for (const bad of ['12', -1, 1.5, Number.MAX_SAFE_INTEGER + 1, true, 100_000_001, 1e15]) {
      expect(parseLine(line({}, { usage: { ...usage, output_tokens: bad } }))).toEqual({
        kind: 'skip',
        reason: 'bad-usage',
      });
    }
    expect(parseLine(line({}, { usage: 'lots' }))).toEqual({ kind: 'skip', reason: 'bad-usage' });
    expect(parseLine(line({}, { model: 7 }))).toEqual({ kind: 'skip', reason: 'missing-model' });
    expect(parseLine(line({ timestamp: undefined }))).toEqual({ kind: 'skip', reason: 'missing-timestamp' });
    expect(parseLine(line({ timestamp: 'soon' }))).toEqual({ kind: 'skip', reason: 'bad-timestamp' });
  });

  it('reads entrypoint only from the top level', () => {
    expect(record(line({ attachment: { entrypoint: 'sdk-py' } })).entrypoint).toBeNull();
  });

  it('keys lines without message id by uuid, else by a hash of the line', () => {
    const noId = line({}, { id: undefined });
    const p = parseLine(noId);
    expect(p.kind === 'request' && p.noId && p.record.key).toBe('uuid:u-1');
    const bare = line({ uuid: undefined }, { id: undefined });
    const q = parseLine(bare);
    expect(q.kind === 'request' && q.record.key).toBe(`line:${hashText(bare)}`);
    expect(hashText('a')).not.toBe(hashText('b'));
  });

  it('keys by message id alone when there is no requestId', () => {
    expect(record(line({ requestId: undefined })).key).toBe('msg_1');
  });
});

describe('parseUsage', () => {
  it('splits writes 5m/1h from cache_creation, else all writes are 5m', () => {
    expect(
      parseUsage({ ...usage, cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 30 } }),
    ).toMatchObject({ cacheWrite5m: 20, cacheWrite1h: 30 });
    expect(parseUsage(usage)).toMatchObject({ cacheWrite5m: 50, cacheWrite1h: 0 });
    // A breakdown that is no object is no breakdown: the counts stay, as without one.
    for (const cache_creation of ['oops', 7, [20, 30], true])
      expect(parseUsage({ ...usage, cache_creation })).toMatchObject({ cacheWrite5m: 50, cacheWrite1h: 0 });
    for (const server_tool_use of ['oops', 3])
      expect(parseUsage({ ...usage, server_tool_use })).toMatchObject({ cacheWrite5m: 50, webSearch: 0, webFetch: 0 });
    // Counts in it that are no counts still make the usage bad.
    expect(parseUsage({ ...usage, cache_creation: { ephemeral_5m_input_tokens: 'x' } })).toBeNull();
  });

  it('reads web searches and treats absent counts as 0', () => {
    expect(parseUsage({ output_tokens: 4, server_tool_use: { web_search_requests: 2 } })).toEqual({
      input: 0,
      output: 4,
      cacheRead: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      webSearch: 2,
      webFetch: 0,
    });
    expect(parseUsage({ output_tokens: 4, server_tool_use: { web_search_requests: -2 } })).toBeNull();
  });
});

describe('mergeCopies', () => {
  const base = record(line());
  const withOutput = (r: RequestRecord, output: number, source: RequestRecord['source'] = r.source): RequestRecord => ({
    ...r,
    source,
    usage: { ...r.usage, output },
  });

  it('a copy with more output tokens replaces; fewer or equal is dropped', () => {
    expect(mergeCopies(base, withOutput(base, 500))).toMatchObject({ outcome: 'replaced', changed: true });
    expect(mergeCopies(withOutput(base, 500), base)).toMatchObject({ outcome: 'dropped', changed: false });
    expect(mergeCopies(base, base)).toMatchObject({ outcome: 'dropped', changed: false });
  });

  it('on a tie keeps the stored copy, unless the incoming one comes from the file known first', () => {
    const other = { ...base, sessionId: 'resumed' };
    expect(mergeCopies(base, other)).toMatchObject({ outcome: 'dropped', changed: false });
    const m = mergeCopies(other, base, true);
    expect(m).toMatchObject({ outcome: 'dropped', changed: true, metaFromIncoming: true });
    expect(m.record.sessionId).toBe(base.sessionId);
    // More output tokens still win whichever file came first.
    expect(mergeCopies(withOutput(base, 500), other, true)).toMatchObject({ changed: false });
  });

  it("prefers a transcript line's metadata over a progress copy's, keeping the larger counts", () => {
    const progress = { ...withOutput(base, 500, 'progress'), agentId: 'from-progress' };
    const direct = { ...withOutput(base, 100, 'line'), agentId: 'from-file' };
    const m = mergeCopies(progress, direct);
    expect(m).toMatchObject({ outcome: 'dropped', changed: true, metaFromIncoming: true });
    expect(m.record.agentId).toBe('from-file');
    expect(m.record.usage.output).toBe(500);
    const back = mergeCopies(direct, progress);
    expect(back.record).toMatchObject({ agentId: 'from-file', source: 'line' });
    expect(back.record.usage.output).toBe(500);
  });
});
