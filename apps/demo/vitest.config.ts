import { defineVitestConfig } from '@acme/tooling/vitest'

// Unit tests (src/**) and the browser tests (test/e2e/**, Chromium through playwright-core), which
// start the whole demo themselves from a client built once in the global setup.
export default defineVitestConfig({
  test: {
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
})
