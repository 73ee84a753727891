// Runs before every test file of @acme/auth-server: after the file's tests, every audit event that
// any recording sink received (createRecordingAuditSink) is checked for secrets — token and JWT
// shapes, password hashes, and the plaintexts the tests declared with trackSecrets().
import { afterAll } from 'vitest'
import { assertNoSecretsInRecordedAuditEvents, resetAuditRegistry } from '@acme/auth-testing'

afterAll(() => {
  try {
    assertNoSecretsInRecordedAuditEvents()
  } finally {
    resetAuditRegistry()
  }
})
