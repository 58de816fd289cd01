/** Exit codes: 0 ok, 1 failure (e.g. corrupt database), 2 bad arguments, 3 a --fail-at threshold reached. */
export const EXIT = { ok: 0, failure: 1, usage: 2, threshold: 3 } as const;
