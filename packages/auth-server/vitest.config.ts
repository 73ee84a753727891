import { defineVitestConfig } from '@acme/tooling/vitest'

export default defineVitestConfig({
  test: {
    // Fails a test file when any audit event recorded during it holds a secret.
    setupFiles: ['./test/audit-secrets.setup.ts'],
  },
})
