/** Builders of transcript lines for tests that write logs as they go. */
export interface LineOptions {
  session: string;
  id: string | null;
  output: number;
  minute?: number;
  model?: string;
  entrypoint?: string;
  uuid?: string;
}

/** One assistant line (a request copy) as Claude Code writes it, with a trailing newline. */
export function assistantLine(o: LineOptions): string {
  const message: Record<string, unknown> = {
    model: o.model ?? 'claude-sonnet-4-5-20250929',
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text: 'some answer text' }],
    usage: {
      input_tokens: 5,
      output_tokens: o.output,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 200,
    },
  };
  if (o.id !== null) message.id = o.id;
  const line: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: false,
    cwd: '/home/u/live',
    sessionId: o.session,
    version: '2.1.90',
    message,
    requestId: o.id === null ? undefined : `req_${o.id}`,
    type: 'assistant',
    uuid: o.uuid ?? `u-${o.id}-${o.output}`,
    timestamp: new Date(Date.UTC(2025, 9, 15, 10, o.minute ?? 0)).toISOString(),
  };
  if (o.entrypoint) line.entrypoint = o.entrypoint;
  return `${JSON.stringify(line)}\n`;
}

export const userLine = (session: string): string =>
  `${JSON.stringify({ type: 'user', sessionId: session, message: { role: 'user', content: 'go' }, uuid: `u-${session}`, timestamp: '2025-10-15T10:00:00.000Z' })}\n`;
