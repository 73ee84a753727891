// Shared vitest config. Tests run from source: the @acme/source export condition points every
// workspace package at its src/ entry, so no build is needed before `vitest run`.
import { defineConfig, mergeConfig } from 'vitest/config'

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
        reporters: process.env.CI ? ['default'] : ['default'],
      },
    }),
    overrides,
  )
}
