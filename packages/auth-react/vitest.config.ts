import { fileURLToPath } from 'node:url'
import { defineVitestConfig } from '@acme/tooling/vitest'

// The testing kit (MockAuthProvider) is used from source through an alias: @acme/auth-testing
// depends on this package, so a declared dependency would be a cycle.
export default defineVitestConfig({
  resolve: {
    alias: {
      '@acme/auth-testing/react': fileURLToPath(new URL('../auth-testing/src/react/index.ts', import.meta.url)),
      '@acme/auth-testing': fileURLToPath(new URL('../auth-testing/src/index.ts', import.meta.url)),
    },
  },
})
