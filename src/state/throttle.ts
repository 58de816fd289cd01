/**
 * A leading + trailing throttle on timers only: the first call runs at once, calls inside the
 * interval collapse into one run at its end, and nothing runs (or waits) when nobody calls.
 */
export interface Throttled {
  /** Asks for a run: now when the interval has passed, else once at its end. */
  request(): void;
  /** Changes the minimum gap between runs (takes effect for the next request). */
  setInterval(ms: number): void;
  /** Drops a pending run. */
  cancel(): void;
}

/** Wraps `run` so it executes at most once per `intervalMs`, never dropping the last request. */
export function throttle(
  run: () => void,
  intervalMs: number,
  clock: () => number = () => performance.now(),
): Throttled {
  let interval = intervalMs;
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = (): void => {
    timer = null;
    last = clock();
    run();
  };
  return {
    request() {
      if (timer !== null) return;
      const wait = last + interval - clock();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    setInterval(ms: number) {
      interval = ms;
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
