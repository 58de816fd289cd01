/**
 * The scan's read buffer in WebAssembly memory, with the scan's two byte searches done there in
 * one pass (scan-needles.wat): where `"usage"` starts (a line to parse) and where `"sdk"` starts
 * (the value of a `promptSource` signal). `Buffer.indexOf` searched each on its own at about
 * 4.5 GB/s, the two about a sixth of a scan worker's time; the module finds both, 16 bytes a
 * step, at about 12 GB/s once optimised. Null where WebAssembly is not available (Node's
 * --jitless): the scan then searches with `indexOf`, as it also does when a chunk holds more hits
 * than one call returns.
 */
import { SCAN_NEEDLES_WASM } from './scan-needles-wasm.js';
import { reserveMemory, WASM_PAGE_BYTES, wasmApi, wasmBytes, type WasmMemory } from '../domain/wasm.js';

interface NeedleExports {
  memory: WasmMemory;
  find: (p: number, end: number, out: number, cap: number) => number;
}

/** Hits one call returns at most (the first page of memory holds them). */
const OUT_SLOTS = WASM_PAGE_BYTES / 4;
/** Where the read buffer starts in memory: after the hits. */
const BUF_AT = WASM_PAGE_BYTES;
/** Bytes the module may read past the data it searches (see scan-needles.wat). */
const SLACK = 64;

let compiled: object | null | undefined;
/** Whether warmUp ran in this thread (once does: the optimised code serves every instance). */
let warmed = false;

/**
 * Runs the search eight times over 1 MB of the fresh (zeroed) memory first: V8 starts a function
 * in its baseline compiler (about 3 GB/s here) and compiles the optimised one in the background
 * once the function has run a while; a scan worker's first files would otherwise all go through
 * the baseline.
 */
function warmUp(wasm: NeedleExports): void {
  if (warmed) return;
  warmed = true;
  const bytes = 1 << 20;
  reserveMemory(wasm.memory, BUF_AT + bytes + SLACK);
  for (let k = 0; k < 8; k++) wasm.find(BUF_AT, BUF_AT + bytes, 0, OUT_SLOTS);
}

function compiledModule(): object | null {
  if (compiled === undefined) {
    try {
      const api = wasmApi();
      compiled = api === null ? null : new api.Module(wasmBytes(SCAN_NEEDLES_WASM));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** A read buffer whose bytes the module searches. */
export class NeedleBuffer {
  /** The bytes, a view of the module's memory (a new view after each grow). */
  buf: Buffer;
  /** After find: positions (in `buf`) where `"usage"` starts, in order, `usageCount` of them. */
  readonly usage = new Int32Array(OUT_SLOTS);
  usageCount = 0;
  /** After find: positions where `"sdk"` starts, in order. */
  readonly sdk = new Int32Array(OUT_SLOTS);
  sdkCount = 0;

  private constructor(
    private readonly wasm: NeedleExports,
    bytes: number,
  ) {
    this.buf = this.view(bytes);
  }

  /** A buffer of `bytes` bytes; null without WebAssembly. */
  static create(bytes: number): NeedleBuffer | null {
    const module = compiledModule();
    const api = wasmApi();
    if (module === null || api === null) return null;
    try {
      const wasm = new api.Instance(module, {}).exports as NeedleExports;
      warmUp(wasm);
      return new NeedleBuffer(wasm, bytes);
    } catch {
      return null;
    }
  }

  /** Grows the buffer to `bytes`, keeping its content (the module's memory grows in place). */
  grow(bytes: number): Buffer {
    return (this.buf = this.view(bytes));
  }

  private view(bytes: number): Buffer {
    reserveMemory(this.wasm.memory, BUF_AT + bytes + SLACK);
    return Buffer.from(this.wasm.memory.buffer, BUF_AT, bytes);
  }

  /**
   * Finds both needles starting in buf[start, end) (a needle must end by `end`). False when there
   * are more than one call returns: the caller then searches that chunk itself.
   */
  find(start: number, end: number): boolean {
    const n = this.wasm.find(BUF_AT + start, BUF_AT + end, 0, OUT_SLOTS);
    this.usageCount = 0;
    this.sdkCount = 0;
    if (n >= OUT_SLOTS) return false;
    const hits = new Int32Array(this.wasm.memory.buffer, 0, n);
    for (let k = 0; k < n; k++) {
      const h = hits[k]!;
      const at = (h >>> 1) - BUF_AT;
      if ((h & 1) === 0) this.usage[this.usageCount++] = at;
      else this.sdk[this.sdkCount++] = at;
    }
    return true;
  }
}
