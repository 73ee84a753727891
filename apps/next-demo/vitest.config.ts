import { defineVitestConfig } from '@acme/tooling/vitest'

// The browser tests (test/e2e/**, Chromium through playwright-core) start the whole app
// themselves (`next start`) from the one `next build` of the global setup.
export default defineVitestConfig({
  test: {
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
})
