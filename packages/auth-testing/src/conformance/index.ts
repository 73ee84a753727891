// Entry of '@acme/auth-testing/conformance': store contract suites as vitest tests (vitest is a peer).
export { runSessionStoreConformance, type SessionStoreHarness } from './session-store-conformance.js'
export type { StoreHarness, StoreHarnessSetup } from './store-harness.js'
export { runKeyStoreConformance, type KeyStoreHarness } from './key-store-conformance.js'
export { runRefreshStoreConformance, type RefreshStoreHarness } from './refresh-store-conformance.js'
export { runOneTimeTokenStoreConformance, type OneTimeTokenStoreHarness } from './one-time-token-store-conformance.js'
export { runSecondFactorStoreConformance, type SecondFactorStoreHarness } from './second-factor-store-conformance.js'
export { runRateLimitStoreConformance, type RateLimitStoreHarness } from './rate-limit-store-conformance.js'
