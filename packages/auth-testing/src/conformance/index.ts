// Entry of '@acme/auth-testing/conformance': store contract suites as vitest tests (vitest is a peer).
export { runSessionStoreConformance, type SessionStoreHarness } from './session-store-conformance.js'
