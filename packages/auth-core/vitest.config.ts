import { fileURLToPath } from 'node:url'
import { defineVitestConfig } from '@acme/tooling/vitest'

// Core's tests use the testing kit from source. It is an alias, not a dependency, because
// @acme/auth-testing itself depends on core (a declared dependency would be a cycle).
export default defineVitestConfig({
  resolve: {
    alias: { '@acme/auth-testing': fileURLToPath(new URL('../auth-testing/src/index.ts', import.meta.url)) },
  },
  test: {
    // Fails a test file when any audit event recorded during it holds a secret.
    setupFiles: ['./test/audit-secrets.setup.ts'],
  },
})
