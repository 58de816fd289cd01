/** One batch made by the real SDK reads the same from OTLP protobuf and from OTLP JSON. */
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import descriptor from '../../src/receiver/otlp-logs.json' with { type: 'json' };
import { BadBodyError, logRecordsOf, type BodyFormat } from '../../src/receiver/otlp-decode.js';
import type { OtelLogRecord } from '../../src/domain/telemetry.js';
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
    expect(a.get('a.list')).toBeNull();
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

  it('refuses an attribute without a key in the billable event, in either encoding', () => {
    const name = { key: 'event.name', value: { stringValue: 'api_request' } };
    const value = (attributes: object[]) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes }] }] }] });
    const keyless = value([name, { value: { stringValue: 'x' } }]);
    const body = RequestType.encode(RequestType.fromObject(keyless)).finish();
    expect(() => decodeLogs(Buffer.from(body), 'protobuf')).toThrow(BadBodyError);
    expect(() => decodeLogs(Buffer.from(JSON.stringify(keyless)), 'json')).toThrow(BadBodyError);
    // Another event's attributes are never read: it is counted as ignored, whatever they hold.
    const other = value([
      { key: 'event.name', value: { stringValue: 'tool_result' } },
      { value: { stringValue: 'x' } },
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
