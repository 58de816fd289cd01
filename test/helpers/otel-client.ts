/**
 * A Claude-Code-shaped OpenTelemetry client for tests: records are made by the real logs SDK and
 * sent by the real OTLP exporters (HTTP with JSON or protobuf, or gRPC; gzip or not), as Claude
 * Code sends them.
 */
import { credentials, Metadata } from '@grpc/grpc-js';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';

export interface ApiRequest {
  requestId?: string;
  sessionId: string;
  model: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheCreation?: number;
  entrypoint?: string;
  ts: number;
  user?: string;
  repo?: string;
  workflow?: string;
  runId?: string;
  costUsd?: number;
  promptId?: string;
  sequence?: number;
}

/** Attributes of a `claude_code.api_request` event as Claude Code sets them. */
export function apiRequestAttributes(r: ApiRequest): AnyValueMap {
  const a: AnyValueMap = {
    'event.name': 'api_request',
    'event.timestamp': new Date(r.ts).toISOString(),
    'event.sequence': r.sequence ?? 1,
    'session.id': r.sessionId,
    'app.version': '2.1.210',
    'prompt.id': r.promptId ?? 'p-1',
    model: r.model,
    input_tokens: r.input,
    output_tokens: r.output,
    cache_read_tokens: r.cacheRead ?? 0,
    cache_creation_tokens: r.cacheCreation ?? 0,
    duration_ms: 1234,
    speed: 'normal',
    cost_usd: r.costUsd ?? 0.01,
  };
  if (r.requestId) a.request_id = r.requestId;
  if (r.entrypoint) a['app.entrypoint'] = r.entrypoint;
  if (r.user) a['user.email'] = r.user;
  if (r.repo) a['vcs.repository.name'] = r.repo;
  if (r.workflow) a['workflow.name'] = r.workflow;
  if (r.runId) a['workflow.run_id'] = r.runId;
  return a;
}

export interface EmitRecord {
  body?: string;
  /** The record's own event-name field (OTLP 1.5), which the SDK sends when it is set. */
  eventName?: string;
  attributes: AnyValueMap;
  ts: number;
}

/** Readable log records made by the real SDK (a logger of a provider with the given resource). */
export async function makeRecords(
  records: EmitRecord[],
  resource: Record<string, string> = {},
): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code', ...resource }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('com.anthropic.claude_code.events', '2.1.210');
  for (const r of records)
    logger.emit({ body: r.body, eventName: r.eventName, attributes: r.attributes, timestamp: new Date(r.ts) });
  await provider.forceFlush();
  const out = [...memory.getFinishedLogRecords()];
  await provider.shutdown();
  return out;
}

export interface SendOptions {
  protocol: 'json' | 'protobuf' | 'grpc';
  gzip?: boolean;
  token?: string;
  /** The path posted to (default /v1/logs, what the exporter adds to OTEL_EXPORTER_OTLP_ENDPOINT). */
  path?: string;
  /** A CA certificate the sender trusts (PEM), for a server with a certificate of its own. */
  ca?: Buffer;
  /** Speak TLS 1.2 at most (Node's client then ends a handshake it does not trust, and hangs up after). */
  tls12?: boolean;
  /** How long the exporter keeps trying (default 10 s). */
  timeoutMillis?: number;
}

/**
 * Sends records to `${base}/v1/logs` with the real exporter (with gRPC, to `base`: the exporter
 * names the service); resolves true when it reported success.
 */
export async function exportRecords(base: string, records: ReadableLogRecord[], o: SendOptions): Promise<boolean> {
  if (o.protocol === 'grpc') return exportGrpc(base, records, o);
  const config = {
    url: `${base}${o.path ?? '/v1/logs'}`,
    headers: (o.token ? { Authorization: `Bearer ${o.token}` } : {}) as Record<string, string>,
    compression: o.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: o.timeoutMillis ?? 10_000,
    ...(o.ca || o.tls12
      ? { httpAgentOptions: { ca: o.ca, ...(o.tls12 ? { maxVersion: 'TLSv1.2' as const } : {}) } }
      : {}),
  };
  const exporter = o.protocol === 'json' ? new JsonExporter(config) : new ProtoExporter(config);
  const ok = await new Promise<boolean>((resolve) =>
    exporter.export(records, (result) => resolve(result.code === ExportResultCode.SUCCESS)),
  );
  await exporter.shutdown();
  return ok;
}

/** The same with the real OTLP/gRPC exporter; the token goes as `authorization` metadata, as OTEL_EXPORTER_OTLP_HEADERS sends it. */
async function exportGrpc(base: string, records: ReadableLogRecord[], o: SendOptions): Promise<boolean> {
  const metadata = new Metadata();
  if (o.token) metadata.set('authorization', `Bearer ${o.token}`);
  const exporter = new GrpcExporter({
    url: base,
    metadata,
    ...(o.ca ? { credentials: credentials.createSsl(o.ca) } : {}),
    compression: o.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: o.timeoutMillis ?? 10_000,
  });
  const ok = await new Promise<boolean>((resolve) =>
    exporter.export(records, (result) => resolve(result.code === ExportResultCode.SUCCESS)),
  );
  await exporter.shutdown();
  return ok;
}

/** Api-request records plus the non-billable events Claude Code sends around them (with text). */
export function sessionEvents(requests: ApiRequest[], secret: string): EmitRecord[] {
  const out: EmitRecord[] = [];
  for (const r of requests) {
    out.push({
      body: 'claude_code.user_prompt',
      attributes: {
        'event.name': 'user_prompt',
        'session.id': r.sessionId,
        prompt: secret,
        prompt_length: secret.length,
      },
      ts: r.ts - 1000,
    });
    out.push({ body: 'claude_code.api_request', attributes: apiRequestAttributes(r), ts: r.ts });
    out.push({
      body: 'claude_code.api_request_body',
      attributes: { 'event.name': 'api_request_body', 'session.id': r.sessionId, body: `{"messages":"${secret}"}` },
      ts: r.ts,
    });
    out.push({
      body: 'claude_code.tool_result',
      attributes: { 'event.name': 'tool_result', tool_name: 'Bash', tool_input: `echo ${secret}` },
      ts: r.ts + 10,
    });
  }
  return out;
}
