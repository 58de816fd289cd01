/**
 * OTLP logs bodies (`ExportLogsServiceRequest`) into flat log records. Protobuf is decoded by
 * protobufjs with the official OTLP definitions (otlp-logs.json, made by
 * scripts/gen-otlp-descriptor.mjs), and its messages are read as they come (lowerCamelCase fields
 * set on each message, 64-bit integers as Long objects): turning them into plain objects first took
 * a third of the decoding time and as much memory again. JSON follows the OTLP JSON mapping
 * (lowerCamelCase, 64-bit integers as numbers or strings). Only scalar attribute values are kept;
 * bodies are kept only as a short event name.
 */
import protobuf from 'protobufjs/light.js';
import descriptor from './otlp-logs.json' with { type: 'json' };
import { isApiRequest, type AttrValue, type OtelLogRecord } from '../domain/telemetry.js';

const root = protobuf.Root.fromJSON(descriptor);
const RequestType = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const ResponseType = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');

/** A body that is not a valid ExportLogsServiceRequest (answered with 400). */
export class BadBodyError extends Error {
  override readonly name = 'BadBodyError';
}

export type BodyFormat = 'json' | 'protobuf';

/** The longest body text kept as an event name. */
const MAX_NAME = 100;

/**
 * A request body's log records, one at a time: the body is parsed at once (BadBodyError if it is
 * not JSON or protobuf), its records are made as they are taken, and a record that is malformed
 * throws BadBodyError when it is reached. A batch of 20,000 records is never held as flat records.
 */
export function logRecordsOf(body: Buffer, format: BodyFormat): Iterable<OtelLogRecord> {
  let value: unknown;
  try {
    if (format === 'protobuf') {
      value = RequestType.decode(body);
    } else {
      // An empty body is no JSON (protobuf's empty message is an empty request): a sender that
      // cut its body off entirely is told so, not that it succeeded.
      if (body.length === 0) throw new Error('the body is empty');
      value = jsonNames(JSON.parse(body.toString('utf8')));
    }
  } catch (err) {
    throw new BadBodyError(`not a valid OTLP ${format === 'json' ? 'JSON' : 'protobuf'} body (${shortReason(err)})`);
  }
  return recordsOf(value);
}

/** The answer body: empty (success) or a partial success naming how many records were rejected. */
export function encodeResponse(format: BodyFormat, rejected: number, message: string): Buffer {
  const partial = rejected > 0 ? { rejectedLogRecords: String(rejected), errorMessage: message } : null;
  if (format === 'json') return Buffer.from(JSON.stringify(partial ? { partialSuccess: partial } : {}));
  const msg = ResponseType.fromObject(partial ? { partialSuccess: partial } : {});
  return Buffer.from(ResponseType.encode(msg).finish());
}

function shortReason(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.length > 120 ? `${m.slice(0, 117)}...` : m;
}

function fail(what: string): never {
  throw new BadBodyError(`not a valid OTLP logs request (${what})`);
}

/**
 * The JSON names of the fields that a body names as the .proto spells them (`resource_logs`,
 * `time_unix_nano`, `string_value`): the protobuf JSON mapping has parsers take both (the
 * Collector does), and some senders write the proto's names. A body is one or the other: one whose
 * top level has `resource_logs` is renamed throughout, once; any other is read as it is.
 */
const JSON_NAMES: Readonly<Record<string, string>> = {
  resource_logs: 'resourceLogs',
  scope_logs: 'scopeLogs',
  instrumentation_library_logs: 'instrumentationLibraryLogs',
  log_records: 'logRecords',
  time_unix_nano: 'timeUnixNano',
  observed_time_unix_nano: 'observedTimeUnixNano',
  event_name: 'eventName',
  string_value: 'stringValue',
  bool_value: 'boolValue',
  int_value: 'intValue',
  double_value: 'doubleValue',
};

function jsonNames(value: unknown): unknown {
  if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, 'resource_logs')) return value;
  const renamed = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(renamed);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[JSON_NAMES[k] ?? k] = renamed(x);
    return out;
  };
  return renamed(value);
}

/** Whether `field` is set on `o` itself (a decoded message keeps its unset fields' defaults on its prototype). */
const has = (o: object, field: string): boolean => Object.prototype.hasOwnProperty.call(o, field);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An optional repeated field: absent is empty, anything but an array is malformed. */
function listOf(parent: Record<string, unknown>, field: string): unknown[] {
  const v = parent[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${field} is not a list`);
  return v;
}

function* recordsOf(value: unknown): Generator<OtelLogRecord> {
  if (!isObject(value)) fail('the body is not an object');
  for (const rl of listOf(value, 'resourceLogs')) {
    if (!isObject(rl)) fail('a resourceLogs entry is not an object');
    const resource = isObject(rl.resource) ? attributesOf(rl.resource) : new Map<string, AttrValue>();
    // Senders from before OTLP 0.15 name the scope list instrumentationLibraryLogs.
    const scopes = [...listOf(rl, 'scopeLogs'), ...listOf(rl, 'instrumentationLibraryLogs')];
    for (const sl of scopes) {
      if (!isObject(sl)) fail('a scopeLogs entry is not an object');
      for (const lr of listOf(sl, 'logRecords')) {
        if (!isObject(lr)) fail('a log record is not an object');
        const record: OtelLogRecord = {
          attributes: eventNameOf(lr),
          resource,
          timeUnixNano: has(lr, 'timeUnixNano') ? nanosOf(lr.timeUnixNano) : null,
          observedTimeUnixNano: has(lr, 'observedTimeUnixNano') ? nanosOf(lr.observedTimeUnixNano) : null,
          // OTLP 1.5 gave the record a field of its own for the event's name (what the SDK's
          // emit({ eventName }) sends); a sender may name the event there and nowhere else.
          bodyName: eventFieldOf(lr) ?? bodyNameOf(lr.body),
        };
        // Only the billable event's attributes are read further: of the others (prompts, tool
        // input, request bodies) not even their text is held while the batch is stored.
        if (isApiRequest(record)) record.attributes = attributesOf(lr);
        yield record;
      }
    }
  }
}

/** A record's `event.name` attribute alone (the last one, as attributesOf keeps it), if it has one. */
function eventNameOf(holder: Record<string, unknown>): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  for (const kv of listOf(holder, 'attributes'))
    if (isObject(kv) && has(kv, 'key') && kv.key === 'event.name') out.set('event.name', scalarOf(kv.value));
  return out;
}

function attributesOf(holder: Record<string, unknown>): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  for (const kv of listOf(holder, 'attributes')) {
    if (!isObject(kv)) fail('an attribute is not an object');
    // Proto3 does not send an empty key: one without a key is keyed "", which names nothing read
    // here. It is passed over, not made a reason to refuse the records around it.
    if (!has(kv, 'key') || kv.key === '' || kv.key === null) continue;
    if (typeof kv.key !== 'string') fail('an attribute key is not text');
    out.set(kv.key, scalarOf(kv.value));
  }
  return out;
}

/**
 * A value that is there but is no usable scalar (an array, a map, bytes, an empty value, an
 * integer that is not one): NaN, which every reader of a field refuses as it refuses a wrong type
 * (a token count that is NaN makes its record bad-usage), where null would read as "not sent" and
 * a malformed count would be stored as 0.
 */
const MALFORMED = Number.NaN;

/**
 * A scalar AnyValue; null when there is none at all. Only the field that is set counts: a
 * decoded message's others are defaults on its prototype.
 */
function scalarOf(v: unknown): AttrValue {
  if (!isObject(v)) return null;
  if (has(v, 'stringValue') && typeof v.stringValue === 'string') return v.stringValue;
  if (has(v, 'boolValue') && typeof v.boolValue === 'boolean') return v.boolValue;
  if (has(v, 'intValue')) {
    const i = isLong(v.intValue) ? v.intValue.toString() : v.intValue;
    if (typeof i === 'number') return Number.isSafeInteger(i) ? i : MALFORMED;
    if (typeof i === 'string' && /^-?\d{1,19}$/.test(i)) {
      const n = Number(i);
      return Number.isSafeInteger(n) ? n : i;
    }
    return MALFORMED;
  }
  if (has(v, 'doubleValue')) {
    const d = typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue;
    return typeof d === 'number' && Number.isFinite(d) ? d : MALFORMED;
  }
  return MALFORMED;
}

/** A 64-bit integer as protobufjs decodes it (a Long: low and high 32 bits, with its own toString). */
function isLong(v: unknown): v is { low: number; high: number; toString(): string } {
  return isObject(v) && typeof v.low === 'number' && typeof v.high === 'number' && typeof v.toString === 'function';
}

function nanosOf(v: unknown): string | null {
  if (isLong(v)) return nanosOf(v.toString());
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  // Very large nanosecond values lose precision as numbers; milliseconds survive.
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.round(v / 1e6)).toString() + '000000';
  // There, but no time ("yesterday", -1, true): kept as said, and refused as a time that is no date.
  return v === null ? null : 'not a time';
}

function eventFieldOf(lr: Record<string, unknown>): string | null {
  if (!has(lr, 'eventName') || typeof lr.eventName !== 'string' || lr.eventName === '') return null;
  // A name too long for any event still names the record: not the billable one, whatever its body says.
  return lr.eventName.length <= MAX_NAME ? lr.eventName : '';
}

function bodyNameOf(v: unknown): string | null {
  if (!isObject(v) || !has(v, 'stringValue') || typeof v.stringValue !== 'string') return null;
  return v.stringValue.length <= MAX_NAME ? v.stringValue : null;
}
