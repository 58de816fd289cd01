/**
 * Colour on or off for the whole UI (off under NO_COLOR). Components ask `useTone()` for a colour
 * name and get undefined when colour is off, so every meaning also reads without colour.
 */
import { createContext, useContext } from 'react';

export type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'gray' | 'magenta' | 'blue';

export const ColorContext = createContext<boolean>(true);

/** True unless the NO_COLOR convention (set and non-empty) turns colour off. */
export function colorEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

/** A function mapping a tone to an Ink colour, or to undefined when colour is off. */
export function useTone(): (tone: Tone) => Tone | undefined {
  const on = useContext(ColorContext);
  return (tone) => (on ? tone : undefined);
}
