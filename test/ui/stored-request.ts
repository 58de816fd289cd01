/** A stored request for the views' tests. */
import type { StoredRequest } from '../../src/domain/types.js';

/** Programmatic, sdk-cli, $0.50 for 1 input and 2 output tokens of Sonnet 4.6; `over` sets any field. */
export function storedRequest(over: Partial<StoredRequest> = {}): StoredRequest {
  return {
    key: 'k',
    messageId: null,
    requestId: 'req_1',
    sessionId: 's',
    project: null,
    gitBranch: null,
    ccVersion: '2.1.300',
    entrypoint: 'sdk-cli',
    agentId: null,
    isSidechain: false,
    model: 'claude-sonnet-4-6',
    ts: Date.UTC(2026, 10, 20, 12),
    usage: { input: 1, output: 2, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, webSearch: 0, webFetch: 0 },
    speed: null,
    inferenceGeo: null,
    serviceTier: null,
    source: 'line',
    class: 'programmatic',
    cost: 0.5,
    priceVersion: 'v',
    ...over,
  };
}
