/** What `serve` tells the machines that send to it. */
import { describe, expect, it } from 'vitest';
import { senderSettings } from '../../src/commands/serve.js';

describe('sender settings', () => {
  it('lists every variable Claude Code needs, with the endpoint as served', () => {
    expect(senderSettings('http://127.0.0.1:4318', false, '127.0.0.1')).toBe(
      [
        'On each machine running Claude Code, set:',
        '  export CLAUDE_CODE_ENABLE_TELEMETRY=1',
        '  export OTEL_LOGS_EXPORTER=otlp',
        '  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        '  export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318',
        '',
      ].join('\n'),
    );
  });

  it('names no wildcard address as the endpoint, and asks for the token header when one is required', () => {
    const v4 = senderSettings('https://0.0.0.0:4318', true, '0.0.0.0');
    expect(v4).toContain('export OTEL_EXPORTER_OTLP_ENDPOINT=https://<this machine>:4318\n');
    expect(v4).toContain('export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <the token>"');
    expect(senderSettings('http://[::]:4318', true, '::')).toContain('ENDPOINT=http://<this machine>:4318\n');
    expect(senderSettings('http://[::1]:4318', false, '::1')).toContain('ENDPOINT=http://[::1]:4318\n');
  });
});
