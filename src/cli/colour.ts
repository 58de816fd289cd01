/** The one colour rule of printed output (the live UI follows the same environment). */

/** Whether to colour: a TTY, and NO_COLOR unset or empty (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.FORCE_COLOR !== '0';
}
