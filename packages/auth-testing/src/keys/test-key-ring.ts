import {
  createKeyRing,
  MemoryKeyStore,
  systemClock,
  type AuditSink,
  type Clock,
  type KeyRing,
  type SigningAlgorithm,
  type SigningKey,
} from '@acme/auth-core'

/**
 * The key-encryption secret of every {@link createTestKeyRing} ring. Public on purpose: a second
 * ring over the same store (another "instance") needs it to open the keys. Never use it outside tests.
 */
export const TEST_KEY_SECRET = 'acme-auth-testing-key-encryption-secret-0123456789'

/** Options of {@link createTestKeyRing}. */
export interface TestKeyRingOptions {
  /** Algorithm of the ring's keys. @default 'EdDSA' */
  alg?: SigningAlgorithm
  /** Drives key lifecycles and the store's locks. @default systemClock */
  clock?: Clock
  /** Receives the ring's `KEY_ROTATED` / `KEY_REMOVED` events from the moment it is returned. @default none */
  audit?: AuditSink
}

/** A ready key ring on its own {@link MemoryKeyStore}, plus what tests need around it. */
export interface TestKeyRing extends KeyRing {
  /** The store the ring lives in: pass it to `createKeyRing({ store, secret: TEST_KEY_SECRET })` for a second instance. */
  readonly store: MemoryKeyStore
  /** The clock the ring reads. */
  readonly clock: Clock
  /**
   * A key this ring published and then removed (a compromised-key rotation at creation), with
   * its private half: tokens it signs carry a kid the ring once knew and now refuses.
   */
  readonly removedKey: SigningKey
}

/**
 * A key ring ready to sign: one active key on a fresh {@link MemoryKeyStore}, sealed with
 * {@link TEST_KEY_SECRET}, and one key already removed (for "signed by a removed key" tests).
 * Pass it wherever core or the server takes a `keyRing`.
 *
 * @example
 * ```ts
 * import { createAccessTokens } from '@acme/auth-core'
 * import { createTestClock, createTestKeyRing } from '@acme/auth-testing'
 *
 * const clock = createTestClock()
 * const keyRing = await createTestKeyRing({ clock })
 * const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.example.com', audience: 'notes-api', clock })
 * const { token } = await accessTokens.issue({ sub: 'u1', sid: 's1', roles: [] })
 * ```
 */
export async function createTestKeyRing(options: TestKeyRingOptions = {}): Promise<TestKeyRing> {
  const clock = options.clock ?? systemClock
  const alg = options.alg ?? 'EdDSA'
  const store = new MemoryKeyStore({ clock })
  // History first, on a ring of its own so the caller's audit sink sees none of it: a key that
  // signed, then a compromised-key rotation that removed it from the store at once.
  const history = createKeyRing({ store, secret: TEST_KEY_SECRET, alg, clock })
  const removedKey = await history.signingKey()
  await history.rotate({ compromised: true })

  const ring = createKeyRing({ store, secret: TEST_KEY_SECRET, alg, clock, ...(options.audit ? { audit: options.audit } : {}) })
  await ring.ready()
  return Object.freeze({ ...ring, store, clock, removedKey })
}
