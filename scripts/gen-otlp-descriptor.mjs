// Regenerates src/receiver/otlp-logs.json, the protobufjs descriptor the receiver decodes OTLP
// logs with, from the official OpenTelemetry .proto definitions that
// @opentelemetry/otlp-grpc-exporter-base 0.34 carries (later versions ship none). The descriptor is
// committed, so that old package is not a dependency (its @opentelemetry/core 1.8 made every
// install warn about peer versions); fetch it only to regenerate:
//   npm install --no-save @opentelemetry/otlp-grpc-exporter-base@0.34.0
//   node scripts/gen-otlp-descriptor.mjs
import protobuf from 'protobufjs';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const protos = protoFolder();
if (protos === null) {
  console.error(
    'No .proto files found: run npm install --no-save @opentelemetry/otlp-grpc-exporter-base@0.34.0 first.',
  );
  process.exit(1);
}
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(protos, target);
root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto', { keepCase: false });

// partial_success joined ExportLogsServiceResponse in OTLP 0.19 (after the copy this package
// carries): declared here with the field numbers of the specification.
const service = root.lookup('opentelemetry.proto.collector.logs.v1');
if (!service.get('ExportLogsPartialSuccess')) {
  service.add(
    new protobuf.Type('ExportLogsPartialSuccess')
      .add(new protobuf.Field('rejectedLogRecords', 1, 'int64'))
      .add(new protobuf.Field('errorMessage', 2, 'string')),
  );
  root
    .lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse')
    .add(new protobuf.Field('partialSuccess', 1, 'ExportLogsPartialSuccess'));
}
// event_name joined LogRecord in OTLP 1.5 (after the copy this package carries), likewise.
const logRecord = root.lookupType('opentelemetry.proto.logs.v1.LogRecord');
if (!logRecord.get('eventName')) logRecord.add(new protobuf.Field('eventName', 12, 'string'));
root.resolveAll();
const out = new URL('../src/receiver/otlp-logs.json', import.meta.url);
writeFileSync(out, JSON.stringify(root.toJSON({ keepComments: false })) + '\n');
console.log(`wrote ${out.pathname}`);

/** The .proto folder of the installed @opentelemetry/otlp-grpc-exporter-base; null without one. */
function protoFolder() {
  try {
    const folder = join(
      dirname(require.resolve('@opentelemetry/otlp-grpc-exporter-base/package.json')),
      'build',
      'protos',
    );
    return existsSync(folder) ? folder : null;
  } catch {
    return null;
  }
}
