import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // Ink draws only its last frame when CI is set; the UI tests look at every frame.
    env: { CI: '0', CONTINUOUS_INTEGRATION: '0' },
  },
});
