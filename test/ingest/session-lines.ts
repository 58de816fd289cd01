/** Transcript lines for the loss and property tests: requests with or without an entrypoint, snapshots, SDK prompts. */

export interface RequestLine {
  session: string;
  id: string;
  output: number;
  /** Default `sdk-cli`; null writes no entrypoint (the session's signals decide the class). */
  entrypoint?: string | null;
  ts?: string;
  input?: number;
}

/** One assistant line (a request copy), with a trailing newline. */
export function line(o: RequestLine): string {
  const entry: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: false,
    cwd: '/home/u/project',
    sessionId: o.session,
    version: '2.1.200',
    type: 'assistant',
    uuid: `u-${o.id}-${o.output}`,
    timestamp: o.ts ?? '2026-11-10T10:00:00.000Z',
    requestId: `req_${o.id}`,
    message: {
      id: `msg_${o.id}`,
      model: 'claude-sonnet-4-5-20250929',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'answer text that is never stored' }],
      usage: {
        input_tokens: o.input ?? 7,
        output_tokens: o.output,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      },
    },
  };
  const ep = o.entrypoint === undefined ? 'sdk-cli' : o.entrypoint;
  if (ep !== null) entry.entrypoint = ep;
  return `${JSON.stringify(entry)}\n`;
}

/** A file-history-snapshot line: the session is interactive. */
export function snapshotLine(session: string): string {
  return `${JSON.stringify({ type: 'file-history-snapshot', messageId: `snap-${session}`, snapshot: {}, sessionId: session })}\n`;
}

/** A user line whose prompt came from the SDK: the session is programmatic. */
export function sdkPromptLine(session: string): string {
  return `${JSON.stringify({ type: 'user', sessionId: session, promptSource: 'sdk', message: { role: 'user', content: 'go' }, uuid: `p-${session}`, timestamp: '2026-11-10T09:59:00.000Z' })}\n`;
}
