import { fileURLToPath } from 'node:url'
import { defineVitestConfig } from '@acme/tooling/vitest'

// The testing kit (MockAuthProvider) and the real server for HTTP tests are used from source through
// aliases, not declared dependencies: @acme/auth-testing depends on this package, and auth-server's
// tests depend on auth-testing, so either dependency would close a cycle.
export default defineVitestConfig({
  resolve: {
    alias: {
      '@acme/auth-testing/react': fileURLToPath(new URL('../auth-testing/src/react/index.ts', import.meta.url)),
      '@acme/auth-testing': fileURLToPath(new URL('../auth-testing/src/index.ts', import.meta.url)),
      '@acme/auth-server': fileURLToPath(new URL('../auth-server/src/index.ts', import.meta.url)),
    },
  },
})
