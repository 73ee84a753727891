import { fileURLToPath } from 'node:url'
import { defineVitestConfig } from '@acme/tooling/vitest'

// signedInAgent's tests run against a real @acme/auth-server app, used from source through an
// alias, not a declared dependency: the server's own tests depend on this package (a cycle).
export default defineVitestConfig({
  resolve: {
    alias: { '@acme/auth-server': fileURLToPath(new URL('../auth-server/src/index.ts', import.meta.url)) },
  },
})
