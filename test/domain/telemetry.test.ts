import { describe, expect, it } from 'vitest';
import { toTelemetryEvent, type AttrValue, type OtelLogRecord } from '../../src/domain/telemetry.js';

const NOW = Date.UTC(2026, 11, 3, 12);

function rec(attrs: Record<string, AttrValue>, over: Partial<OtelLogRecord> = {}): OtelLogRecord {
  return {
    attributes: new Map(Object.entries(attrs)),
    resource: new Map([['host.name', 'runner-1']]),
    timeUnixNano: `${BigInt(NOW - 60_000) * 1_000_000n}`,
    observedTimeUnixNano: null,
    bodyName: 'claude_code.api_request',
    ...over,
  };
}

const base = {
  'event.name': 'api_request',
  model: 'claude-sonnet-4-5-20250929',
  input_tokens: 10,
  output_tokens: '20',
  cache_read_tokens: 30,
  cache_creation_tokens: 40,
  request_id: 'req_1',
  'session.id': 's1',
  'app.entrypoint': 'sdk-py',
  'user.account_uuid': 'acct-1',
  cost_usd: 0.5,
};

describe('toTelemetryEvent', () => {
  it('reads a Claude Code api_request: tokens (numbers or strings), keys, attribution, all writes at 5 minutes', () => {
    const o = toTelemetryEvent(rec(base), NOW);
    expect(o.kind).toBe('request');
    if (o.kind !== 'request') return;
    expect(o.event).toMatchObject({
      key: 'req_1',
      model: 'claude-sonnet-4-5-20250929',
      ts: NOW - 60_000,
      entrypoint: 'sdk-py',
      user: 'acct-1',
      host: 'runner-1',
      ccCost: 0.5,
      splitKnown: false,
    });
    expect(o.event.usage).toEqual({
      input: 10,
      output: 20,
      cacheRead: 30,
      cacheWrite5m: 40,
      cacheWrite1h: 0,
      webSearch: 0,
      webFetch: 0,
    });
  });

  it("keeps Claude Code's own cost only when plausible: the request is priced from its tokens either way", () => {
    const costOf = (cost_usd: AttrValue): unknown => {
      const o = toTelemetryEvent(rec({ ...base, cost_usd }), NOW);
      return o.kind === 'request' ? o.event.ccCost : o.kind;
    };
    expect([costOf(10_000_000), costOf('12.5'), costOf(0)]).toEqual([10_000_000, 12.5, 0]);
    expect([costOf(1e300), costOf(10_000_000.01), costOf('999999999999'), costOf(-1)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('takes the cost in millionths of a dollar when cost_usd is absent or unusable', () => {
    const { cost_usd: _dropped, ...noCost } = base;
    const costOf = (attrs: Record<string, AttrValue>): unknown => {
      const o = toTelemetryEvent(rec(attrs), NOW);
      return o.kind === 'request' ? o.event.ccCost : o.kind;
    };
    expect(costOf({ ...noCost, cost_usd_micros: 1_234_567 })).toBe(1.234567);
    expect(costOf({ ...noCost, cost_usd_micros: '250' })).toBe(0.00025);
    expect(costOf({ ...base, cost_usd: 'lots', cost_usd_micros: 7 })).toBe(0.000007);
    // cost_usd first when both are there
    expect(costOf({ ...base, cost_usd_micros: 9_000_000 })).toBe(0.5);
    for (const bad of [-5, 1.5, '1e6', 'x', 1e20])
      expect(costOf({ ...noCost, cost_usd_micros: bad }), String(bad)).toBeNull();
  });

  it('takes the job, repository, user and host from the resource when the record has none of its own', () => {
    const resource = new Map<string, AttrValue>([
      ['host.name', 'runner-9'],
      ['workflow.name', 'nightly'],
      ['workflow.run_id', '4242'],
      ['vcs.repository.name', 'acme/api'],
      ['user.email', 'ci@acme.test'],
    ]);
    const { 'user.account_uuid': _account, ...noUser } = base;
    const fromResource = toTelemetryEvent(rec(noUser, { resource }), NOW);
    expect(fromResource).toMatchObject({
      kind: 'request',
      event: { host: 'runner-9', workflow: 'nightly', runId: '4242', repo: 'acme/api', user: 'ci@acme.test' },
    });
    // The record's own attributes win; a record's account id beats a resource's email.
    const own = toTelemetryEvent(
      rec({ ...base, 'workflow.name': 'release', 'vcs.repository.name': 'acme/web' }, { resource }),
      NOW,
    );
    expect(own).toMatchObject({ event: { workflow: 'release', repo: 'acme/web', user: 'acct-1', runId: '4242' } });
  });

  it('names a model sent in capitals as the model it is', () => {
    expect(toTelemetryEvent(rec({ ...base, model: 'Claude-Opus-4-7' }), NOW)).toMatchObject({
      event: { model: 'claude-opus-4-7' },
    });
  });

  it('prefers event.timestamp, and the email over the account id', () => {
    const o = toTelemetryEvent(
      rec({ ...base, 'event.timestamp': '2026-12-01T10:00:00.000Z', 'user.email': 'a@b.c' }),
      NOW,
    );
    expect(o.kind === 'request' && [o.event.ts, o.event.user]).toEqual([Date.UTC(2026, 11, 1, 10), 'a@b.c']);
  });

  it('names one user by an email however a machine spells its case', () => {
    const users = ['Dev0@Example.COM', 'dev0@example.com'].map((email) => {
      const o = toTelemetryEvent(rec({ ...base, 'user.email': email }), NOW);
      return o.kind === 'request' ? o.event.user : null;
    });
    expect(users).toEqual(['dev0@example.com', 'dev0@example.com']);
  });

  it('keys an event without request_id by session, prompt and sequence', () => {
    const { request_id: _r, ...noId } = base;
    const o = toTelemetryEvent(rec({ ...noId, 'prompt.id': 'p9', 'event.sequence': 7 }), NOW);
    expect(o.kind === 'request' && o.event.key).toBe('s:s1:p9:7');
    // Without a counter: the client's id, else what the event says of itself in its session.
    const keyOf = (attrs: Parameters<typeof rec>[0]): string | null => {
      const out = toTelemetryEvent(rec(attrs), NOW);
      return out.kind === 'request' ? out.event.key : null;
    };
    expect(keyOf({ ...noId, client_request_id: 'cr-1' })).toBe('c:cr-1');
    const own = keyOf({ ...noId, 'prompt.id': 'p9' });
    expect(own).toMatch(/^h:/);
    expect(keyOf({ ...noId, 'prompt.id': 'p9' })).toBe(own);
    expect(keyOf({ ...noId, 'prompt.id': 'p9', output_tokens: 8 })).not.toBe(own);
    expect(keyOf({ ...noId, 'prompt.id': 'p9', 'event.timestamp': '2026-12-01T10:00:00.001Z' })).not.toBe(own);
    const { 'session.id': _s, ...nothing } = noId;
    expect(toTelemetryEvent(rec(nothing), NOW)).toEqual({ kind: 'rejected', reason: 'missing-key' });
  });

  it('keeps a name over 512 characters cut (never inside a surrogate pair) and says which; an id that long is passed over', () => {
    const workflow = 'w'.repeat(510) + '😀' + 'x'.repeat(100);
    const o = toTelemetryEvent(
      rec({ ...base, 'workflow.name': workflow, 'vcs.repository.name': 'r'.repeat(512) }),
      NOW,
    );
    expect(o.kind).toBe('request');
    if (o.kind !== 'request') return;
    // 510 characters and the pair's first half would end at 511: the pair goes whole or not at all.
    expect(o.event.workflow).toBe(`${'w'.repeat(510)}…`);
    expect(o.event.repo).toBe('r'.repeat(512));
    expect(o.cut).toEqual(['workflow.name']);
    const fromResource = toTelemetryEvent(
      rec(base, { resource: new Map([['host.name', `h${'o'.repeat(1000)}`]]) }),
      NOW,
    );
    expect(fromResource.kind === 'request' && fromResource.event.host?.length).toBe(512);
    expect(fromResource.kind === 'request' && fromResource.cut).toEqual(['host.name']);
    const longId = toTelemetryEvent(rec({ ...base, request_id: 'q'.repeat(600) }), NOW);
    expect(longId.kind === 'request' && longId.event.requestId).toBeNull();
    expect(longId.kind === 'request' && longId.cut).toEqual([]);
  });

  it('ignores other events and refuses bad billable ones by reason', () => {
    expect(toTelemetryEvent(rec({ 'event.name': 'user_prompt', prompt: 'x' }, { bodyName: null }), NOW).kind).toBe(
      'ignored',
    );
    expect(toTelemetryEvent(rec({ ...base, model: '' }), NOW)).toEqual({ kind: 'rejected', reason: 'missing-model' });
    const { model: _m, ...modelless } = base;
    expect(toTelemetryEvent(rec(modelless), NOW)).toEqual({ kind: 'rejected', reason: 'missing-model' });
    // A model that is there but names none: its own reason, so its sender is told what is wrong.
    for (const model of ['m'.repeat(100_000), Number.NaN, true])
      expect(toTelemetryEvent(rec({ ...base, model }), NOW)).toEqual({ kind: 'rejected', reason: 'bad-model' });
    expect(toTelemetryEvent(rec({ ...base, input_tokens: -1 }), NOW)).toEqual({
      kind: 'rejected',
      reason: 'bad-usage',
    });
    expect(toTelemetryEvent(rec({ ...base, output_tokens: '1e9' }), NOW)).toEqual({
      kind: 'rejected',
      reason: 'bad-usage',
    });
    // A count no request can carry (a sender's bug would put billions of dollars on the gauge).
    for (const input_tokens of [1e15, '1000000000000000', 100_000_001])
      expect(toTelemetryEvent(rec({ ...base, input_tokens }), NOW)).toEqual({ kind: 'rejected', reason: 'bad-usage' });
    expect(toTelemetryEvent(rec({ ...base, cache_read_tokens: 100_000_000 }), NOW).kind).toBe('request');
    // A count as text is read as the number it writes out would be: whole, in plain decimals.
    for (const [text, number] of [
      ['100', 100],
      [' 100', 100],
      ['100.0', 100.0],
      ['100.5', 100.5],
      ['+5', Number.NaN],
      ['1e3', Number.NaN],
    ] as const) {
      const asText = toTelemetryEvent(rec({ ...base, input_tokens: text }), NOW);
      const asNumber = toTelemetryEvent(rec({ ...base, input_tokens: number }), NOW);
      expect(asText.kind, text).toBe(asNumber.kind);
      if (asText.kind === 'request' && asNumber.kind === 'request')
        expect(asText.event.usage).toEqual(asNumber.event.usage);
    }
    expect(toTelemetryEvent(rec({ ...base, 'event.timestamp': '9999-01-01T00:00:00Z' }), NOW)).toEqual({
      kind: 'rejected',
      reason: 'implausible-timestamp',
    });
    expect(toTelemetryEvent(rec(base, { timeUnixNano: null, observedTimeUnixNano: null }), NOW)).toEqual({
      kind: 'rejected',
      reason: 'missing-timestamp',
    });
    // A time that is there but no date is named as such; a good one beside it still serves.
    const bad = (over: Partial<OtelLogRecord>, attrs = {}) => toTelemetryEvent(rec({ ...base, ...attrs }, over), NOW);
    expect(bad({ timeUnixNano: 'not a time' })).toEqual({ kind: 'rejected', reason: 'bad-timestamp' });
    expect(bad({ timeUnixNano: null }, { 'event.timestamp': 'yesterday' })).toEqual({
      kind: 'rejected',
      reason: 'bad-timestamp',
    });
    expect(bad({ timeUnixNano: '0' })).toEqual({ kind: 'rejected', reason: 'missing-timestamp' });
    // A microsecond after 1970 is a time, only not a plausible one.
    expect(bad({ timeUnixNano: '1000' })).toEqual({ kind: 'rejected', reason: 'implausible-timestamp' });
    expect(bad({ timeUnixNano: 'not a time', observedTimeUnixNano: `${BigInt(NOW) * 1_000_000n}` }).kind).toBe(
      'request',
    );
  });

  it('takes the billable event by name with or without the prefix, from the body or event.name', () => {
    const { 'event.name': _n, ...unnamed } = base;
    expect(toTelemetryEvent(rec(unnamed), NOW).kind).toBe('request');
    expect(toTelemetryEvent(rec(unnamed, { bodyName: 'api_request' }), NOW).kind).toBe('request');
    expect(toTelemetryEvent(rec(unnamed, { bodyName: 'claude_code.api_error' }), NOW).kind).toBe('ignored');
  });
});
