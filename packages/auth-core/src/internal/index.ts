/**
 * `@acme/auth-core/internal`: the primitives core's own stores, the testing kit's conformance
 * suites, the benchmarks and `@acme/auth-server`'s per-request session check are built from.
 * **Not part of the product and not covered by semver**: any release may change or remove these.
 * Apps use the main entry (`@acme/auth-core`) instead, which exposes what these are for
 * (`createSessionManager`, `createRefreshFamilies`, `createOneTimeTokens`, …) and `timingSafeEqual`.
 *
 * @packageDocumentation
 */
export { fingerprint, randomToken, sha256 } from '../lib/crypto.js'
export { parseSessionToken, type SessionTokenParts } from '../sessions/session-token.js'
export { parseRefreshToken, type RefreshTokenParts } from '../refresh/refresh-token.js'
export { validateNow, type Awaitable } from '../sessions/validate-now.js'
export { verifyNow } from '../tokens/verify-now.js'
