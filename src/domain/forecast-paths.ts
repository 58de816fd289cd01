/**
 * Runs the forecast's Monte Carlo paths in WebAssembly (forecast-paths.wat): the same draws, in
 * the same order, with the same arithmetic as the JavaScript loop of domain/forecast.ts, so the
 * paths end on the same bits. Compiled on first use; null where WebAssembly is not available
 * (Node's --jitless), and the caller runs its JavaScript loop.
 */
import { FORECAST_PATHS_WASM } from './forecast-paths-wasm.js';
import { reserveMemory, wasmApi, wasmBytes, type WasmMemory } from './wasm.js';
import { Digest64 } from './digest.js';

interface PathsExports {
  memory: WasmMemory;
  simulate: (...args: number[]) => void;
  seed: (seed: number) => void;
  log: (x: number) => number;
}

/** What the paths draw from (see `simulate` in forecast.ts). */
export interface PathsInput {
  paths: number;
  seed: number;
  weights: Float64Array;
  totals: Float64Array;
  ages: Float64Array;
  firstCost: Float64Array;
  /** Samplers' pool indices: [0] every day with weight, then one per group that has a sampler. */
  samplers: Int32Array[];
  /** Per remaining day, the sampler of its group (index into `samplers`), 0 when it has none. */
  segSampler: Int32Array;
  sigma: number;
  /**
   * Each pool day's growth on each remaining day, at [segment * days + day]; empty without a
   * trend (see growthTable in forecast.ts).
   */
  growth: Float64Array;
  /** Per remaining day, the most it may spend (see dayCaps in forecast.ts). */
  caps: Float64Array;
  spentSoFar: number;
  credit: number;
}

/** Each path's end, and where its spend first reached the credit (segment -1: it did not). */
export interface PathsOutput {
  ends: Float64Array;
  crossSegment: Int32Array;
  crossDay: Int32Array;
  crossScale: Float64Array;
  crossBefore: Float64Array;
}

/**
 * Paths already run, by their exact input (pathsKey): the same input gives the same paths to the
 * bit, so a run kept from an earlier command serves as well as a new one (store/paths-memo.ts).
 */
export interface PathsMemo {
  recall(key: Uint8Array): PathsOutput | null;
  keep(key: Uint8Array, out: PathsOutput): void;
}

/** Raised when the key's layout changes, so keys of another layout never match. */
const KEY_FORMAT = 1;
let moduleDigest: [number, number] | null = null;

/**
 * Every input of a run of the paths, with the module that runs them, as bytes in this machine's
 * byte order: two runs with equal keys draw the same paths. Numbers first (64-bit floats: the
 * layout, the scalars, the module's digest, then the arrays), then the samplers as 32-bit integers.
 */
export function pathsKey(input: PathsInput): Uint8Array {
  if (moduleDigest === null) {
    const hex = new Digest64().update(FORECAST_PATHS_WASM).hex();
    moduleDigest = [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8), 16)];
  }
  const arrays = [input.weights, input.totals, input.ages, input.firstCost, input.growth, input.caps];
  const head = [
    KEY_FORMAT,
    moduleDigest[0],
    moduleDigest[1],
    FORECAST_PATHS_WASM.length,
    input.paths,
    input.seed,
    input.sigma,
    input.spentSoFar,
    input.credit,
    input.segSampler.length,
    input.samplers.length,
    ...arrays.map((a) => a.length),
    ...input.samplers.map((a) => a.length),
  ];
  const floats = head.length + arrays.reduce((n, a) => n + a.length, 0);
  const ints = input.segSampler.length + input.samplers.reduce((n, a) => n + a.length, 0);
  const bytes = new ArrayBuffer(floats * 8 + ints * 4);
  const f = new Float64Array(bytes, 0, floats);
  f.set(head);
  let at = head.length;
  for (const a of arrays) {
    f.set(a, at);
    at += a.length;
  }
  const i = new Int32Array(bytes, floats * 8, ints);
  i.set(input.segSampler);
  at = input.segSampler.length;
  for (const a of input.samplers) {
    i.set(a, at);
    at += a.length;
  }
  return new Uint8Array(bytes);
}

/** runPaths through `memo`: its kept run for this input, else a new run that it keeps. */
export function runPathsMemo(input: PathsInput, memo: PathsMemo | undefined): PathsOutput | null {
  if (memo === undefined) return runPaths(input);
  const key = pathsKey(input);
  const kept = memo.recall(key);
  if (kept !== null && kept.ends.length === input.paths) return copyOf(kept);
  const out = runPaths(input);
  if (out !== null) memo.keep(key, copyOf(out));
  return out;
}

/** Its own arrays (the forecast sorts the ends it is given). */
function copyOf(out: PathsOutput): PathsOutput {
  return {
    ends: out.ends.slice(),
    crossSegment: out.crossSegment.slice(),
    crossDay: out.crossDay.slice(),
    crossScale: out.crossScale.slice(),
    crossBefore: out.crossBefore.slice(),
  };
}

let loaded: PathsExports | null | undefined;
/** The module as precompileForecast compiled it, once it has. */
let precompiled: object | null = null;

/**
 * Compiles the module off this thread: `status` starts it before its catch-up's stats, so the
 * forecast finds it compiled instead of compiling it then (about 3 ms of a cold `status`).
 * Resolves when done: true when a compiled module is waiting (false without WebAssembly, or
 * once the module is in use; on a failure the module is compiled on first use, as without this).
 */
export function precompileForecast(): Promise<boolean> {
  const api = wasmApi();
  if (api === null || loaded !== undefined) return Promise.resolve(false);
  if (precompiled !== null) return Promise.resolve(true);
  return api.compile(wasmBytes(FORECAST_PATHS_WASM)).then(
    (module) => {
      precompiled = module;
      return true;
    },
    () => false,
  );
}

function load(): PathsExports | null {
  if (loaded === undefined) {
    try {
      const api = wasmApi();
      if (api === null) return (loaded = null);
      const module = precompiled ?? new api.Module(wasmBytes(FORECAST_PATHS_WASM));
      const instance = new api.Instance(module, { math: { exp: Math.exp, cos: Math.cos } });
      loaded = instance.exports as PathsExports;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** The module's log (fdlibm's), for tests against Math.log; null without WebAssembly. */
export function wasmLog(): ((x: number) => number) | null {
  return load()?.log ?? null;
}

/** Runs the paths in WebAssembly; null when it is not available here. */
export function runPaths(input: PathsInput): PathsOutput | null {
  const wasm = load();
  if (wasm === null) return null;
  const n = input.weights.length;
  const S = input.segSampler.length;
  const P = input.paths;
  const members = input.samplers.reduce((m, s) => m + s.length, 0);
  const J = input.samplers.length;
  // The layout: f64 arrays first (8-byte aligned), then i32 arrays.
  let top = 0;
  const f64 = (count: number): number => {
    const at = top;
    top += count * 8;
    return at;
  };
  const i32 = (count: number): number => {
    const at = top;
    top += count * 4;
    return at;
  };
  const pW = f64(n);
  const pT = f64(n);
  const pA = f64(n);
  const pF = f64(n);
  const pD = f64(n);
  const pCum = f64(members);
  const pTot = f64(J);
  const pEnds = f64(P);
  const pCK = f64(P);
  const pCC = f64(P);
  const pCap = f64(S);
  const pG = f64(input.growth.length);
  const pM = i32(members);
  const pTab = i32(2 * J);
  const pSG = i32(S);
  const pCh = i32(S);
  const pCS = i32(P);
  const pCI = i32(P);
  reserveMemory(wasm.memory, top);
  const buf = wasm.memory.buffer;
  new Float64Array(buf, pW, n).set(input.weights);
  new Float64Array(buf, pT, n).set(input.totals);
  new Float64Array(buf, pA, n).set(input.ages);
  new Float64Array(buf, pF, n).set(input.firstCost);
  const table = new Int32Array(buf, pTab, 2 * J);
  const memberView = new Int32Array(buf, pM, members);
  let off = 0;
  input.samplers.forEach((s, j) => {
    table[2 * j] = off;
    table[2 * j + 1] = s.length;
    memberView.set(s, off);
    off += s.length;
  });
  new Int32Array(buf, pSG, S).set(input.segSampler);
  new Float64Array(buf, pCap, S).set(input.caps);
  new Float64Array(buf, pG, input.growth.length).set(input.growth);
  wasm.seed(input.seed | 0);
  wasm.simulate(
    P,
    n,
    S,
    J,
    input.sigma,
    input.growth.length === 0 ? 0 : 1,
    input.spentSoFar,
    input.credit,
    pW,
    pT,
    pA,
    pF,
    pD,
    pM,
    pCum,
    pTab,
    pTot,
    pSG,
    pCh,
    pEnds,
    pCS,
    pCI,
    pCK,
    pCC,
    pCap,
    pG,
  );
  return {
    ends: new Float64Array(buf, pEnds, P).slice(),
    crossSegment: new Int32Array(buf, pCS, P).slice(),
    crossDay: new Int32Array(buf, pCI, P).slice(),
    crossScale: new Float64Array(buf, pCK, P).slice(),
    crossBefore: new Float64Array(buf, pCC, P).slice(),
  };
}
