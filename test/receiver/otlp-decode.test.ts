/** One batch made by the real SDK reads the same from OTLP protobuf and from OTLP JSON. */
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import descriptor from '../../src/receiver/otlp-logs.json' with { type: 'json' };
import { BadBodyError, logRecordsOf, type BodyFormat } from '../../src/receiver/otlp-decode.js';
import { toTelemetryEvent, type OtelLogRecord } from '../../src/domain/telemetry.js';
import { apiRequestAttributes, makeRecords } from '../helpers/otel-client.js';

/** Every record of a body at once (the receiver takes them one by one). */
const decodeLogs = (body: Buffer, format: BodyFormat): OtelLogRecord[] => [...logRecordsOf(body, format)];

const RequestType = protobuf.Root.fromJSON(descriptor).lookupType(
  'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
);

describe('OTLP logs bodies', () => {
  it('gives the same records from protobuf and from JSON: strings, integers, doubles, booleans, times', async () => {
    const ts = Date.UTC(2026, 10, 3, 12, 0, 0, 123);
    const records = await makeRecords(
      [
        {
          body: 'claude_code.api_request',
          attributes: {
            ...apiRequestAttributes({ sessionId: 's-1', model: 'claude-sonnet-4-6', input: 2 ** 40, output: 7, ts }),
            cost_usd: 0.0625,
            'some.flag': true,
            'a.list': ['x', 'y'],
          },
          ts,
        },
        { body: 'claude_code.user_prompt', attributes: { prompt: 'text', prompt_length: 4 }, ts },
      ],
      { 'host.name': 'runner-1' },
    );
    const proto = decodeLogs(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!), 'protobuf');
    const json = decodeLogs(Buffer.from(JsonLogsSerializer.serializeRequest(records)!), 'json');
    expect(proto).toEqual(json);
    expect(proto).toHaveLength(2);
    const a = proto[0]!.attributes;
    expect(a.get('input_tokens')).toBe(2 ** 40);
    expect(a.get('output_tokens')).toBe(7);
    expect(a.get('cost_usd')).toBe(0.0625);
    expect(a.get('some.flag')).toBe(true);
    // There, but no scalar: NaN, which every reader refuses (null is "not sent").
    expect(a.get('a.list')).toBeNaN();
    expect(a.get('session.id')).toBe('s-1');
    expect(proto[0]!.bodyName).toBe('claude_code.api_request');
    expect(proto[0]!.timeUnixNano).toBe(`${ts}000000`);
    expect(proto[0]!.resource.get('host.name')).toBe('runner-1');
  });

  it('leaves unset fields unset, as JSON leaves them out', () => {
    const body = RequestType.encode(
      RequestType.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [] }] }] }] }),
    ).finish();
    expect(decodeLogs(Buffer.from(body), 'protobuf')).toEqual([
      { attributes: new Map(), resource: new Map(), timeUnixNano: null, observedTimeUnixNano: null, bodyName: null },
    ]);
  });

  it("names the event by the record's eventName field (OTLP 1.5) before its body, and keeps a time that is no time as such", () => {
    const body = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ eventName: 'claude_code.api_request' }] }] }] };
    const proto = RequestType.encode(RequestType.fromObject(body)).finish();
    expect(decodeLogs(Buffer.from(proto), 'protobuf')[0]!.bodyName).toBe('claude_code.api_request');
    const both = {
      eventName: 'claude_code.api_request',
      body: { stringValue: 'a message' },
      timeUnixNano: 'yesterday',
    };
    const json = decodeLogs(
      Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [both] }] }] })),
      'json',
    );
    expect(json[0]).toMatchObject({ bodyName: 'claude_code.api_request', timeUnixNano: 'not a time' });
    // A name too long for any event is no name for the billable one, whatever the body says.
    const long = { eventName: 'x'.repeat(100_000), body: { stringValue: 'claude_code.api_request' } };
    const named = decodeLogs(
      Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [long] }] }] })),
      'json',
    );
    expect(named[0]!.bodyName).toBe('');
  });

  it("reads the proto's own field names (resource_logs, time_unix_nano, string_value) as their JSON names", async () => {
    const ts = Date.UTC(2026, 10, 3, 12, 0, 0, 123);
    const records = await makeRecords(
      [
        {
          body: 'claude_code.api_request',
          attributes: {
            ...apiRequestAttributes({ sessionId: 's-1', model: 'claude-sonnet-4-6', input: 20, output: 7, ts }),
            cost_usd: 0.0625,
            'some.flag': true,
          },
          ts,
        },
      ],
      { 'host.name': 'runner-1' },
    );
    const camel = Buffer.from(JsonLogsSerializer.serializeRequest(records)!).toString('utf8');
    const snake = camel.replace(
      /"([a-z]+(?:[A-Z][a-z]+)+)":/g,
      (_, k: string) => `"${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}":`,
    );
    expect(snake).toContain('"resource_logs":');
    expect(snake).toContain('"time_unix_nano":');
    const want = decodeLogs(Buffer.from(camel), 'json');
    const got = decodeLogs(Buffer.from(snake), 'json');
    expect(got).toEqual(want);
    expect(toTelemetryEvent(got[0]!, ts).kind).toBe('request');
  });

  it('passes over an attribute without a key (proto3 sends "" as nothing), and refuses a key that is not text', () => {
    const name = { key: 'event.name', value: { stringValue: 'api_request' } };
    const model = { key: 'model', value: { stringValue: 'claude-sonnet-4-6' } };
    const value = (attributes: object[]) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes }] }] }] });
    const keyless = value([name, { value: { stringValue: 'x' } }, { key: '', value: { stringValue: 'y' } }, model]);
    const body = RequestType.encode(RequestType.fromObject(keyless)).finish();
    const want = new Map([
      ['event.name', 'api_request'],
      ['model', 'claude-sonnet-4-6'],
    ]);
    expect(decodeLogs(Buffer.from(body), 'protobuf')[0]!.attributes).toEqual(want);
    expect(decodeLogs(Buffer.from(JSON.stringify(keyless)), 'json')[0]!.attributes).toEqual(want);
    const numbered = value([name, { key: 7, value: { stringValue: 'x' } }]);
    expect(() => decodeLogs(Buffer.from(JSON.stringify(numbered)), 'json')).toThrow(BadBodyError);
    // Another event's attributes are never read: it is counted as ignored, whatever they hold.
    const other = value([
      { key: 'event.name', value: { stringValue: 'tool_result' } },
      { key: 7, value: { stringValue: 'x' } },
    ]);
    expect(decodeLogs(Buffer.from(JSON.stringify(other)), 'json')[0]!.attributes).toEqual(
      new Map([['event.name', 'tool_result']]),
    );
  });

  it('keeps no attribute of another event but its name', async () => {
    const records = await makeRecords([
      { body: 'claude_code.user_prompt', attributes: { 'event.name': 'user_prompt', prompt: 'private' }, ts: 1 },
      { body: 'claude_code.tool_result', attributes: { tool_input: 'private' }, ts: 1 },
    ]);
    const decoded = decodeLogs(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!), 'protobuf');
    expect(decoded.map((r) => [r.bodyName, [...r.attributes]])).toEqual([
      ['claude_code.user_prompt', [['event.name', 'user_prompt']]],
      ['claude_code.tool_result', []],
    ]);
  });
});

describe('token counts that are there but are no count', () => {
  const nowMs = Date.UTC(2026, 11, 3, 12);
  const body = (value: unknown): Buffer =>
    Buffer.from(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: `${BigInt(nowMs - 60_000) * 1_000_000n}`,
                    body: { stringValue: 'claude_code.api_request' },
                    attributes: [
                      { key: 'event.name', value: { stringValue: 'api_request' } },
                      { key: 'model', value: { stringValue: 'claude-sonnet-4-6' } },
                      { key: 'request_id', value: { stringValue: 'req_bad' } },
                      { key: 'session.id', value: { stringValue: 's-1' } },
                      { key: 'output_tokens', value: { intValue: '10' } },
                      { key: 'input_tokens', value },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
  for (const [what, value] of [
    ['an intValue that is no integer', { intValue: 'abc' }],
    ['an intValue past 64 bits', { intValue: '99999999999999999999' }],
    ['a doubleValue that is NaN', { doubleValue: 'NaN' }],
    ['an array', { arrayValue: { values: [{ intValue: '1' }] } }],
    ['an empty value', {}],
  ] as const) {
    it(`refuses the record as bad-usage for ${what}, never stores it as 0`, () => {
      const [record] = decodeLogs(body(value), 'json');
      expect(toTelemetryEvent(record!, nowMs)).toEqual({ kind: 'rejected', reason: 'bad-usage' });
    });
  }
  it('still takes the same record with a good count', () => {
    const [record] = decodeLogs(body({ intValue: '5' }), 'json');
    expect(toTelemetryEvent(record!, nowMs)).toMatchObject({
      kind: 'request',
      event: { usage: { input: 5, output: 10 } },
    });
  });
});
