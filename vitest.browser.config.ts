import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: renders the HTML export in a real headless Chromium (skipped without one). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
