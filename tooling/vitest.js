// Shared vitest config. Tests run from source: the @acme/source export condition points every
// workspace package at its src/ entry, so no build is needed before `vitest run`.
import { fileURLToPath } from 'node:url'
import { defineConfig, mergeConfig } from 'vitest/config'

const flakyReporter = fileURLToPath(new URL('./vitest-flaky-reporter.js', import.meta.url))
const conditions = ['@acme/source', 'node', 'development|production']

/** @param {import('vitest/config').UserConfig} [overrides] */
export function defineVitestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions },
      ssr: { resolve: { conditions } },
      test: {
        include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
        environment: 'node',
        testTimeout: 20_000,
        hookTimeout: 30_000,
        passWithNoTests: false,
        // On CI the timing, fault and browser tests share two cores with five other suites: a test
        // that fails is run once more, and the flaky reporter names every test that needed it.
        retry: process.env.CI ? 1 : 0,
        reporters: process.env.CI ? ['default', flakyReporter] : ['default'],
      },
    }),
    overrides,
  )
}
