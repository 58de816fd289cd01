/**
 * Parser warm-up for a scan worker. Transcript lines come in many object shapes (keys in varying
 * order and sets); when the optimizing compiler first meets the parser with only a few of them it
 * compiles for those, then throws that code away at each new shape and compiles again. Parsing a
 * spread of synthetic shapes first lets it compile the general form once. Results are discarded:
 * this only changes how fast later lines parse, never what they give.
 */
import { parseCleanLine } from '../domain/parse-line.js';

const LINE_KEYS = [
  'parentUuid',
  'isSidechain',
  'cwd',
  'sessionId',
  'version',
  'gitBranch',
  'entrypoint',
  'agentId',
  'slug',
  'userType',
  'requestId',
  'uuid',
];
const USAGE_KEYS = [
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'server_tool_use',
  'service_tier',
  'cache_creation',
  'inference_geo',
  'speed',
  'iterations',
];
const SHAPES = 24;
const TS = '2025-10-15T10:00:00.000Z';

type Obj = Record<string, unknown>;

/** Parses a few dozen synthetic assistant and subagent progress lines of differing shapes. */
export function warmUpParser(): void {
  for (let v = 0; v < SHAPES; v++) {
    const usage: Obj = { input_tokens: 1, output_tokens: v };
    for (let k = 0; k < USAGE_KEYS.length; k++) {
      if ((k * 7 + v) % 5 === 0) continue;
      const key = USAGE_KEYS[(k + v) % USAGE_KEYS.length]!;
      usage[key] = usageValue(key);
    }
    const message: Obj =
      v % 3 === 0
        ? { id: `m${v}`, model: 'x', usage, content: [] }
        : v % 3 === 1
          ? { model: 'x', id: `m${v}`, type: 'message', role: 'assistant', content: [], usage }
          : { type: 'message', usage, model: 'x', id: `m${v}` };
    const line: Obj = v % 2 === 0 ? { type: 'assistant', message } : { message, type: 'assistant' };
    for (let k = 0; k < LINE_KEYS.length; k++) {
      if ((k * 3 + v) % 4 === 0) continue;
      const key = LINE_KEYS[(k + v) % LINE_KEYS.length]!;
      line[key] = key === 'isSidechain' ? v % 2 === 0 : `w${v}`;
    }
    line.timestamp = TS;
    const progress = {
      type: 'progress',
      sessionId: 's',
      timestamp: TS,
      data: {
        type: 'agent_progress',
        agentId: `a${v}`,
        message: { type: 'assistant', requestId: `r${v}`, timestamp: TS, message },
      },
    };
    // Lines that only mention usage (a user's text, a tool's progress) reach the parser too.
    const other: Obj =
      v % 2 === 0
        ? { type: v % 4 === 0 ? 'user' : 'system', message: { role: 'user', content: 'usage' } }
        : {
            parentUuid: null,
            message: { content: [] },
            type: 'progress',
            data: { type: 'bash_progress', output: 'usage' },
          };
    for (let k = 0; k < v % 5; k++) other[LINE_KEYS[(k + v) % LINE_KEYS.length]!] = `o${v}`;
    for (let r = 0; r < 3; r++) {
      parseCleanLine(JSON.stringify(line));
      parseCleanLine(JSON.stringify(progress));
      parseCleanLine(JSON.stringify(other));
    }
  }
}

function usageValue(key: string): unknown {
  if (key === 'server_tool_use') return { web_search_requests: 0, web_fetch_requests: 1 };
  if (key === 'cache_creation') return { ephemeral_5m_input_tokens: 1, ephemeral_1h_input_tokens: 2 };
  if (key === 'iterations') return [];
  return key.endsWith('_tokens') ? 3 : 'standard';
}
