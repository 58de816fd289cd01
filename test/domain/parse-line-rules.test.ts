import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/domain/parse-line.js';

const message = (usage: unknown) => ({
  model: 'claude-opus-4-7',
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  content: [{ type: 'text', text: 'hi' }],
  usage,
});
const usage = { input_tokens: 3, output_tokens: 40, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 };

function progress(dataType: string): string {
  return JSON.stringify({
    type: 'progress',
    sessionId: 's1',
    timestamp: '2026-11-02T10:00:00.000Z',
    data: {
      type: dataType,
      agentId: 'a1',
      message: {
        type: 'assistant',
        requestId: 'req_1',
        timestamp: '2026-11-02T10:00:00.000Z',
        uuid: 'u1',
        message: message(usage),
      },
    },
  });
}

describe('progress lines', () => {
  it('bill the copy a subagent progress line (agent_progress) embeds', () => {
    const r = parseLine(progress('agent_progress'));
    expect(r.kind).toBe('request');
    if (r.kind === 'request') expect(r.record).toMatchObject({ key: 'msg_1:req_1', source: 'progress', agentId: 'a1' });
  });

  it.each(['bash_progress', 'hook_progress', 'mcp_progress'])('ignore copies embedded in %s lines', (kind) => {
    expect(parseLine(progress(kind)).kind).toBe('none');
  });
});

describe('usage objects', () => {
  const line = (u: unknown) =>
    JSON.stringify({
      type: 'assistant',
      timestamp: '2026-11-02T10:00:00.000Z',
      requestId: 'req_1',
      message: message(u),
    });

  it('skip a usage object with no input or output count as bad usage', () => {
    expect(parseLine(line({}))).toEqual({ kind: 'skip', reason: 'bad-usage' });
    expect(parseLine(line({ service_tier: 'standard' }))).toEqual({ kind: 'skip', reason: 'bad-usage' });
  });

  it('keep a usage object that reports zero tokens explicitly', () => {
    const r = parseLine(line({ input_tokens: 0, output_tokens: 0 }));
    expect(r.kind).toBe('request');
  });
});
