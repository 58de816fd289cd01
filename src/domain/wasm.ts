/**
 * What the project's WebAssembly modules share: the part of the API they use (absent under Node's
 * --jitless, where their callers run JavaScript instead), their bytes from base64, and growing
 * their memory.
 */

/** A module's exported memory (the part of it used here). */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;

/** Grows `memory` to hold at least `bytes` bytes (its content stays; earlier views of it detach). */
export function reserveMemory(memory: WasmMemory, bytes: number): void {
  const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
  const have = memory.buffer.byteLength / WASM_PAGE_BYTES;
  if (pages > have) memory.grow(pages - have);
}

/** The part of the WebAssembly API used here. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  /** Compiles off the calling thread. */
  compile: (bytes: Uint8Array) => Promise<object>;
}

/** The WebAssembly API, or null where there is none (--jitless). */
export function wasmApi(): WasmApi | null {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

/** A module's bytes from the base64 the build carries (scripts/gen-wasm.mjs). */
export function wasmBytes(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
