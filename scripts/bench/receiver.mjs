// Receiver benchmark: `creditmeter serve` taking Claude-Code-shaped api_request events in batches
// of 512, as OTLP JSON, as gzip protobuf and as OTLP/gRPC calls (bodies made by the OpenTelemetry
// JS serializers), one sender at a time, then 8 senders at once (peak RSS of the server). The
// reference, measured in the same run, is a bare Node HTTP (or HTTP/2) server that reads each body
// and answers (no decoding, no store).
// Section of `npm run bench` (scripts/bench.mjs): exports run(env) returning table rows.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, createServer as createHttp2 } from 'node:http2';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

const BATCH = 512;
const BATCHES = 24;
const SENDERS = 8;

/** `n` batches of api_request records with unique request ids, serialized once up front. */
async function batches(n, tag) {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code', 'host.name': 'bench-runner' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('com.anthropic.claude_code.events');
  const now = Date.now() - 3600_000;
  const out = [];
  for (let b = 0; b < n; b++) {
    memory.reset();
    for (let i = 0; i < BATCH; i++) {
      const id = `${tag}-${b}-${i}`;
      logger.emit({
        body: 'claude_code.api_request',
        timestamp: new Date(now + b * 1000 + i),
        attributes: {
          'event.name': 'api_request',
          'event.timestamp': new Date(now + b * 1000 + i).toISOString(),
          'event.sequence': i,
          'session.id': `session-${tag}-${b}`,
          'prompt.id': `prompt-${b}`,
          'app.entrypoint': 'sdk-cli',
          'app.version': '2.1.210',
          'user.email': `dev${b % 7}@example.com`,
          'vcs.repository.name': 'billing-api',
          'workflow.name': 'nightly',
          'workflow.run_id': String(9000 + b),
          model: i % 3 === 0 ? 'claude-opus-4-5-20251101' : 'claude-sonnet-4-5-20250929',
          request_id: `req_${id}`,
          input_tokens: 12 + i,
          output_tokens: 300 + i,
          cache_read_tokens: 40_000,
          cache_creation_tokens: 2_000,
          cost_usd: 0.03,
          duration_ms: 4000,
          speed: 'normal',
        },
      });
    }
    await provider.forceFlush();
    const records = memory.getFinishedLogRecords();
    const proto = Buffer.from(ProtobufLogsSerializer.serializeRequest(records));
    const head = Buffer.alloc(5);
    head.writeUInt32BE(proto.length, 1);
    out.push({
      json: Buffer.from(JsonLogsSerializer.serializeRequest(records)),
      proto: gzipSync(proto),
      // A gRPC call's body: the message uncompressed (as with OTEL_EXPORTER_OTLP_COMPRESSION unset), length-prefixed.
      grpc: Buffer.concat([head, proto]),
    });
  }
  await provider.shutdown();
  return out;
}

async function post(url, body, type, gzip) {
  const r = await fetch(`${url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': type, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body,
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`the receiver answered ${r.status}`);
}

/** Sends the batches one after the other; events per second. */
async function throughput(url, list, kind) {
  const t0 = performance.now();
  for (const b of list) {
    if (kind === 'json') await post(url, b.json, 'application/json', false);
    else await post(url, b.proto, 'application/x-protobuf', true);
  }
  return (list.length * BATCH) / ((performance.now() - t0) / 1000);
}

/** Sends the batches as OTLP/gRPC calls over one HTTP/2 connection, one after the other; events per second. */
async function grpcThroughput(url, list) {
  const session = connect(url);
  session.on('error', () => {});
  const call = (body) =>
    new Promise((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      stream.on('trailers', (t) =>
        t['grpc-status'] === '0'
          ? resolve()
          : reject(new Error(`the receiver answered grpc-status ${t['grpc-status']}`)),
      );
      stream.on('error', reject);
      stream.resume();
      stream.end(body);
    });
  try {
    const t0 = performance.now();
    for (const b of list) await call(b.grpc);
    return (list.length * BATCH) / ((performance.now() - t0) / 1000);
  } finally {
    session.close();
  }
}

function startServe(env, db, config) {
  // An empty config root: the receiver alone is measured, with no transcripts to catch up on.
  const emptyRoot = join(env.tmpDir, 'empty-root');
  mkdirSync(emptyRoot, { recursive: true });
  const child = spawn(
    process.execPath,
    [env.distCli, 'serve', '--listen', '127.0.0.1:0', '--db', db, '--config', config, '--claude-dir', emptyRoot],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CREDITMETER_TOKEN: '' },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /receiving OpenTelemetry on (http\S+)\/v1\/logs/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', () => reject(new Error(`serve exited: ${out.trim()}`)));
  });
}

function rssMb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

export async function run(env) {
  const config = join(env.tmpDir, 'receiver-config.json');
  writeFileSync(config, '{}');
  env.log('  serializing batches ...');
  const jsonSet = await batches(BATCHES, 'j');
  const protoSet = await batches(BATCHES, 'p');
  const grpcSet = await batches(BATCHES, 'g');
  const flood = await Promise.all(Array.from({ length: SENDERS }, (_, k) => batches(6, `f${k}`)));

  // Reference: a bare HTTP server that reads the body and answers 200.
  const bare = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => res.end('{}'));
  });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${bare.address().port}`;
  const bareJson = await throughput(bareUrl, jsonSet, 'json');
  const bareProto = await throughput(bareUrl, protoSet, 'proto');
  bare.close();
  const bare2 = createHttp2((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/grpc' });
      res.addTrailers({ 'grpc-status': '0' });
      res.end(Buffer.alloc(5));
    });
  });
  await new Promise((r) => bare2.listen(0, '127.0.0.1', r));
  const bareGrpc = await grpcThroughput(`http://127.0.0.1:${bare2.address().port}`, grpcSet);
  bare2.close();

  const { child, url } = await startServe(env, join(env.tmpDir, 'receiver.db'), config);
  try {
    await throughput(url, jsonSet.slice(0, 2), 'json'); // warm-up (stored again below: same keys, no double count)
    const idleRss = rssMb(child.pid, 'VmRSS');
    const json = await throughput(url, jsonSet, 'json');
    const proto = await throughput(url, protoSet, 'proto');
    const grpc = await grpcThroughput(url, grpcSet);
    await Promise.all(flood.map((list, k) => throughput(url, list, k % 2 === 0 ? 'json' : 'proto')));
    const peak = rssMb(child.pid, 'VmHWM');
    return [
      { label: 'events/s, OTLP JSON, batches of 512', value: Math.round(json), unit: 'events/s' },
      { label: 'events/s, OTLP protobuf+gzip, batches of 512', value: Math.round(proto), unit: 'events/s' },
      { label: 'events/s, OTLP/gRPC, batches of 512', value: Math.round(grpc), unit: 'events/s' },
      { label: 'JSON: share of a bare HTTP server (same bodies)', value: json / bareJson, unit: 'ratio' },
      { label: 'protobuf: share of a bare HTTP server (same bodies)', value: proto / bareProto, unit: 'ratio' },
      { label: 'gRPC: share of a bare HTTP/2 server (same calls)', value: grpc / bareGrpc, unit: 'ratio' },
      { label: `peak RSS with ${SENDERS} senders at once`, value: peak, unit: 'MB', target: '< 250' },
      { label: 'peak RSS over idle RSS', value: peak / idleRss, unit: 'ratio' },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}
