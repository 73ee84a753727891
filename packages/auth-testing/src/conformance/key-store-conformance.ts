import {
  createAccessTokens,
  createAccessTokenVerifier,
  createKeyRing,
  type KeyRing,
  type KeyStore,
  type StoredSigningKey,
} from '@acme/auth-core'
import { describe, expect, it } from 'vitest'
import { TEST_KEY_SECRET } from '../keys/test-key-ring.js'
import { createRecordingAuditSink } from '../recording-audit-sink.js'
import { createTestClock, type TestClock } from '../test-clock.js'
import { expectLockContract } from './lock-contract.js'
import { useStoreHarness, type StoreHarness, type StoreHarnessSetup } from './store-harness.js'

/** What {@link runKeyStoreConformance} needs: a fresh, empty key store per call. */
export type KeyStoreHarness = StoreHarness<KeyStore>

const issuer = 'https://app.example.com'

/** A stored key as a ring would write it (the suite checks storage, not cryptography). */
const storedKey = (kid: string, at: number): StoredSigningKey => ({
  kid,
  alg: 'EdDSA',
  createdAt: at,
  activatesAt: at,
  retiresAt: null,
  removesAt: null,
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-of-${kid}`, kid, alg: 'EdDSA', use: 'sig' },
  sealedPrivateKey: `v1.testtest.iv-of-${kid}.ciphertext-of-${kid}`,
})

/**
 * The key store contract, as vitest tests: load and compare-and-set (exact round trip, stale
 * versions refused, one winner among concurrent writers), locks, and the key ring over the store
 * from two instances (one bootstrap key, one rotation, compromise seen by both, private keys only
 * sealed at rest). `setup` runs before every test and must return an empty store.
 *
 * @example
 * ```ts
 * import { MemoryKeyStore } from '@acme/auth-core'
 * import { runKeyStoreConformance } from '@acme/auth-testing/conformance'
 *
 * runKeyStoreConformance('MemoryKeyStore', () => {
 *   const store = new MemoryKeyStore()
 *   return { store, dump: async () => JSON.stringify(await store.load()) }
 * })
 * ```
 */
export function runKeyStoreConformance(name: string, setup: StoreHarnessSetup<KeyStore>): void {
  describe(`${name}: key store conformance`, () => {
    const harness = useStoreHarness(setup)

    /** Two instances: their own ring (and store object) over the same data, one clock. */
    const rings = async (clock: TestClock) => {
      const { store, another } = harness()
      const audit = createRecordingAuditSink()
      const ring = (keyStore: KeyStore) =>
        createKeyRing({ store: keyStore, secret: TEST_KEY_SECRET, clock, audit, rotation: { refreshSeconds: 0 } })
      const signer = (keyRing: KeyRing) => createAccessTokens({ keyRing, issuer, audience: 'api', clock })
      const verifier = (keyRing: KeyRing) => createAccessTokenVerifier({ keyRing, issuer, audience: 'api', clock })
      const a = ring(store)
      const b = ring(await another())
      return { a, b, audit, signA: signer(a), verifyB: verifier(b) }
    }

    it('loads an empty store as version 0 with no keys', async () => {
      expect(await harness().store.load()).toEqual({ version: 0, keys: [] })
    })

    it('compare-and-set writes the keys exactly and bumps the version; a stale version writes nothing', async () => {
      const { store } = harness()
      const first = [storedKey('k1', 1_000)]
      expect(await store.compareAndSet(first, 0)).toBe(true)
      expect(await store.load()).toEqual({ version: 1, keys: first })
      const second = [{ ...first[0]!, retiresAt: 5_000, removesAt: 9_000 }, storedKey('k2', 5_000)]
      expect(await store.compareAndSet(second, 0)).toBe(false)
      expect(await store.load()).toEqual({ version: 1, keys: first })
      expect(await store.compareAndSet(second, 1)).toBe(true)
      expect(await store.load()).toEqual({ version: 2, keys: second })
    })

    it('of 20 concurrent compare-and-sets on one version, from two instances, exactly one wins', async () => {
      const { store, another } = harness()
      const other = await another()
      await store.compareAndSet([storedKey('k0', 0)], 0)
      const writes = Array.from({ length: 20 }, (_, i) => [storedKey(`k${i + 1}`, i + 1)])
      const results = await Promise.all(writes.map((keys, i) => (i % 2 ? other : store).compareAndSet(keys, 1)))
      expect(results.filter(Boolean)).toHaveLength(1)
      const { version, keys } = await other.load()
      expect(version).toBe(2)
      expect(keys).toEqual(writes[results.indexOf(true)])
    })

    it('locks: one holder, released only by its token, free again after the TTL', async () => {
      const { store, another } = harness()
      await expectLockContract(store, await another(), 'key-rotation')
    })

    it('two instances starting together make one key, publish the same JWKS and verify each other’s tokens', async () => {
      const { a, b, audit, signA, verifyB } = await rings(createTestClock())
      await Promise.all([a.ready(), b.ready()])
      expect(audit.ofType('KEY_ROTATED')).toHaveLength(1)
      expect((await a.jwks()).keys).toHaveLength(1)
      expect(await b.jwks()).toEqual(await a.jwks())
      const { token } = await signA.issue({ sub: 'u1', sid: 's1', roles: [] })
      await expect(verifyB.verify(token)).resolves.toMatchObject({ sub: 'u1' })
    })

    it('concurrent rotations from two instances introduce one next key, and it signs for both once due', async () => {
      const clock = createTestClock()
      const { a, b, audit } = await rings(clock)
      await a.ready()
      const rotated = await Promise.all([a.rotate(), b.rotate(), a.rotate(), b.rotate()])
      expect(new Set(rotated.map((key) => key.kid)).size).toBe(1)
      expect(audit.ofType('KEY_ROTATED')).toHaveLength(2) // bootstrap + one rotation
      expect((await b.list()).map((key) => key.status)).toEqual(['active', 'next'])
      clock.set(rotated[0].activatesAt)
      expect((await a.signingKey()).kid).toBe(rotated[0].kid)
      expect((await b.signingKey()).kid).toBe(rotated[0].kid)
    })

    it('a compromised-key rotation on one instance removes the old key for the other', async () => {
      const { a, b, signA, verifyB } = await rings(createTestClock())
      await Promise.all([a.ready(), b.ready()])
      const before = (await signA.issue({ sub: 'u1', sid: 's1', roles: [] })).token
      const fresh = await a.rotate({ compromised: true })
      await expect(verifyB.verify(before)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
      const after = (await signA.issue({ sub: 'u1', sid: 's1', roles: [] })).token
      await expect(verifyB.verify(after)).resolves.toMatchObject({ sub: 'u1' })
      expect((await b.jwks()).keys.map((key) => key.kid)).toEqual([fresh.kid])
    })

    it('stores private keys only sealed: nothing at rest holds a private JWK member', async () => {
      const { a } = await rings(createTestClock())
      await a.ready()
      const next = await a.rotate()
      const dump = await harness().dump()
      // The dump must really contain the ring, or the checks below would prove nothing.
      expect(dump).toContain(next.kid)
      expect(dump).toMatch(/v1\.[\w-]{8}\.[\w-]+\.[\w-]+/)
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
        expect(dump).not.toMatch(new RegExp(`\\\\?"${member}\\\\?"\\s*:`))
      }
    })
  })
}
