import { describe, expect, it } from 'vitest';
import { FORECAST_PATHS_WASM } from '../../src/domain/forecast-paths-wasm.js';
import { SCAN_NEEDLES_WASM } from '../../src/ingest/scan-needles-wasm.js';

interface WasmModule {
  wat: string;
  out: string;
  name: string;
}

// @ts-expect-error: a build script without types
const gen = (await import('../../scripts/gen-wasm.mjs')) as {
  MODULES: WasmModule[];
  assembled(module: WasmModule): Promise<string>;
};

const carried: Record<string, string> = { FORECAST_PATHS_WASM, SCAN_NEEDLES_WASM };

describe('WebAssembly modules', () => {
  it('every generated module is the assembly of its .wat text', async () => {
    expect(gen.MODULES.map((m) => m.name).sort()).toEqual(Object.keys(carried).sort());
    for (const module of gen.MODULES) {
      const text = await gen.assembled(module);
      const base64 = [...text.matchAll(/'([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]).join('');
      expect(base64.length).toBeGreaterThan(100);
      expect(base64, `${module.out}: run node scripts/gen-wasm.mjs`).toBe(carried[module.name]);
    }
  });
});
