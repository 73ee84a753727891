import { createRecoveryCodes, createTotp, type PasskeyRecord, type PendingMfaRecord, type SecondFactorStore, type TotpFactorRecord } from '@acme/auth-core'
import { randomToken, sha256 } from '@acme/auth-core/internal'
import { describe, expect, it } from 'vitest'
import { TEST_KEY_SECRET } from '../keys/test-key-ring.js'
import { createTestClock } from '../test-clock.js'
import { createTotpCode } from '../totp/totp-code.js'
import { useStoreHarness, type StoreHarness, type StoreHarnessSetup } from './store-harness.js'
import { trustedDeviceStoreCases } from './trusted-device-store-conformance.js'

/** What {@link runSecondFactorStoreConformance} needs: a fresh, empty second-factor store per call. */
export type SecondFactorStoreHarness = StoreHarness<SecondFactorStore>

const now = Date.UTC(2030, 0, 1)
const minute = 60_000

const totpRecord = (userId: string, overrides: Partial<TotpFactorRecord> = {}): TotpFactorRecord => ({
  userId,
  sealedSecret: `v1.abcdefgh.${randomToken(12)}.${randomToken(40)}`,
  status: 'pending',
  createdAt: now,
  confirmedAt: null,
  lastUsedStep: null,
  ...overrides,
})

const passkey = (userId: string, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord => ({
  id: randomToken(32),
  userId,
  publicKey: randomToken(77),
  counter: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  name: 'Passkey',
  createdAt: now,
  lastUsedAt: null,
  ...overrides,
})

const pending = async (overrides: Partial<PendingMfaRecord> = {}): Promise<PendingMfaRecord> => ({
  id: await sha256(randomToken(32)),
  userId: `user-${randomToken(6)}`,
  completed: [{ method: 'pwd', at: now }],
  methods: ['totp', 'recovery'],
  authLevel: 'password',
  attempts: 0,
  createdAt: now,
  expiresAt: now + 5 * minute,
  ...overrides,
})

const user = () => `user-${randomToken(6)}`
const truthy = (results: boolean[]) => results.filter(Boolean).length

/**
 * The second-factor store contract, as vitest tests: TOTP enrollment cannot replace an active
 * factor, activation is a compare-and-set on the sealed secret, the used-code marker lets each
 * time step through once (of 50 concurrent claims from two instances exactly one wins, and older
 * steps are refused); recovery codes are single use (of 20 concurrent consumers exactly one wins);
 * passkeys are unique by credential id, owned by their user, and their counter is a
 * compare-and-set; pending sign-ins expire by the caller's clock, count attempts atomically and
 * are consumed once; trusted devices expire by the caller's clock, belong to one user and are
 * forgotten one or all at once. Also through core's `createTotp` and `createRecoveryCodes`: no TOTP secret
 * and no recovery code in clear at rest. `setup` runs before every test.
 *
 * @example
 * ```ts
 * import { MemorySecondFactorStore } from '@acme/auth-core'
 * import { runSecondFactorStoreConformance } from '@acme/auth-testing/conformance'
 *
 * runSecondFactorStoreConformance('MemorySecondFactorStore', () => {
 *   const store = new MemorySecondFactorStore()
 *   return { store, dump: async () => JSON.stringify(store.snapshot()) }
 * })
 * ```
 */
export function runSecondFactorStoreConformance(name: string, setup: StoreHarnessSetup<SecondFactorStore>): void {
  describe(`${name}: second-factor store conformance`, () => {
    const harness = useStoreHarness(setup)
    trustedDeviceStoreCases(harness)

    it('keeps a pending TOTP factor field for field, replaces it with a newer enrollment, and deletes it', async () => {
      const { store } = harness()
      const id = user()
      expect(await store.getTotp(id)).toBeNull()
      const first = totpRecord(id)
      expect(await store.savePendingTotp(first)).toBe(true)
      expect(await store.getTotp(id)).toEqual(first)
      const second = totpRecord(id, { createdAt: now + minute })
      expect(await store.savePendingTotp(second)).toBe(true)
      expect(await store.getTotp(id)).toEqual(second)
      expect(await store.deleteTotp(id)).toBe(true)
      expect(await store.deleteTotp(id)).toBe(false)
      expect(await store.getTotp(id)).toBeNull()
    })

    it('activates only the pending factor with that sealed secret; an active factor is never replaced by an enrollment', async () => {
      const { store } = harness()
      const id = user()
      const record = totpRecord(id)
      await store.savePendingTotp(record)
      expect(await store.activateTotp(id, totpRecord(id).sealedSecret, 7, now + minute)).toBe(false)
      expect(await store.activateTotp(user(), record.sealedSecret, 7, now + minute)).toBe(false)
      expect(await store.activateTotp(id, record.sealedSecret, 7, now + minute)).toBe(true)
      const active = { ...record, status: 'active', confirmedAt: now + minute, lastUsedStep: 7 }
      expect(await store.getTotp(id)).toEqual(active)
      expect(await store.activateTotp(id, record.sealedSecret, 8, now + 2 * minute)).toBe(false)
      expect(await store.savePendingTotp(totpRecord(id))).toBe(false)
      expect(await store.getTotp(id)).toEqual(active)
    })

    it('the used-code marker lets a step through once, refuses older steps, and needs an active factor', async () => {
      const { store } = harness()
      const id = user()
      const record = totpRecord(id)
      await store.savePendingTotp(record)
      expect(await store.claimTotpStep(id, 100)).toBe(false)
      expect(await store.claimTotpStep(user(), 100)).toBe(false)
      await store.activateTotp(id, record.sealedSecret, 100, now)
      expect(await store.claimTotpStep(id, 100)).toBe(false)
      expect(await store.claimTotpStep(id, 99)).toBe(false)
      expect(await store.claimTotpStep(id, 101)).toBe(true)
      expect(await store.claimTotpStep(id, 101)).toBe(false)
      expect(await store.claimTotpStep(id, 100)).toBe(false)
      expect((await store.getTotp(id))?.lastUsedStep).toBe(101)
    })

    it('of 50 concurrent claims of one step, from two instances, exactly one wins', async () => {
      const { store, another } = harness()
      const other = await another()
      const id = user()
      const record = totpRecord(id)
      await store.savePendingTotp(record)
      await store.activateTotp(id, record.sealedSecret, 1, now)
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).claimTotpStep(id, 2)))
      expect(truthy(results)).toBe(1)
    })

    it('recovery codes: replaced as a set, counted, each consumed once, only for its user', async () => {
      const { store } = harness()
      const [id, someoneElse] = [user(), user()]
      const hashes = await Promise.all(Array.from({ length: 10 }, () => sha256(randomToken(10))))
      expect(await store.countRecoveryCodes(id)).toBe(0)
      await store.replaceRecoveryCodes(id, hashes, now)
      expect(await store.countRecoveryCodes(id)).toBe(10)
      expect(await store.consumeRecoveryCode(someoneElse, hashes[0]!)).toBe(false)
      expect(await store.consumeRecoveryCode(id, await sha256('a guess'))).toBe(false)
      expect(await store.consumeRecoveryCode(id, hashes[0]!)).toBe(true)
      expect(await store.consumeRecoveryCode(id, hashes[0]!)).toBe(false)
      expect(await store.countRecoveryCodes(id)).toBe(9)
      const fresh = [await sha256(randomToken(10))]
      await store.replaceRecoveryCodes(id, fresh, now + minute)
      expect(await store.consumeRecoveryCode(id, hashes[1]!)).toBe(false)
      expect(await store.countRecoveryCodes(id)).toBe(1)
      await store.replaceRecoveryCodes(id, [], now + minute)
      expect(await store.countRecoveryCodes(id)).toBe(0)
    })

    it('of 20 concurrent consumers of one recovery code, from two instances, exactly one wins', async () => {
      const { store, another } = harness()
      const other = await another()
      const id = user()
      const hashes = await Promise.all(Array.from({ length: 10 }, () => sha256(randomToken(10))))
      await store.replaceRecoveryCodes(id, hashes, now)
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).consumeRecoveryCode(id, hashes[3]!)))
      expect(truthy(results)).toBe(1)
      expect(await store.countRecoveryCodes(id)).toBe(9)
    })

    it('passkeys: found by credential id field for field, unique across users, listed per user oldest first', async () => {
      const { store } = harness()
      const [id, someoneElse] = [user(), user()]
      const later = passkey(id, { createdAt: now + minute, transports: ['usb'], deviceType: 'singleDevice', backedUp: false, name: 'YubiKey' })
      const first = passkey(id)
      expect(await store.savePasskey(later)).toBe(true)
      expect(await store.savePasskey(first)).toBe(true)
      expect(await store.savePasskey(passkey(someoneElse, { id: first.id }))).toBe(false)
      expect(await store.getPasskey(first.id)).toEqual(first)
      expect(await store.getPasskey(randomToken(32))).toBeNull()
      expect(await store.listPasskeys(id)).toEqual([first, later])
      expect(await store.listPasskeys(someoneElse)).toEqual([])
    })

    it('a sign-in updates the counter by compare-and-set, only for its owner; rename and delete are owner-only', async () => {
      const { store, another } = harness()
      const other = await another()
      const [id, someoneElse] = [user(), user()]
      const record = passkey(id, { counter: 5 })
      await store.savePasskey(record)
      const use = { counter: 6, backedUp: false, lastUsedAt: now + minute }
      expect(await store.updatePasskeyUse(someoneElse, record.id, 5, use)).toBe(false)
      expect(await store.updatePasskeyUse(id, record.id, 4, use)).toBe(false)
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).updatePasskeyUse(id, record.id, 5, use)))
      expect(truthy(results)).toBe(1)
      expect(await store.getPasskey(record.id)).toEqual({ ...record, ...use })
      expect(await store.renamePasskey(someoneElse, record.id, 'Mine now')).toBe(false)
      expect(await store.renamePasskey(id, record.id, 'Work laptop')).toBe(true)
      expect((await store.getPasskey(record.id))?.name).toBe('Work laptop')
      expect(await store.deletePasskey(someoneElse, record.id)).toBe(false)
      expect(await store.deletePasskey(id, record.id)).toBe(true)
      expect(await store.deletePasskey(id, record.id)).toBe(false)
      expect(await store.getPasskey(record.id)).toBeNull()
      expect(await store.listPasskeys(id)).toEqual([])
      expect(await store.savePasskey(passkey(someoneElse, { id: record.id }))).toBe(true)
    })

    it('a pending sign-in is kept field for field until just before expiresAt, by the caller\'s clock', async () => {
      const { store } = harness()
      const record = await pending({ completed: [{ method: 'pwd', at: now - 1000 }], methods: ['totp', 'recovery', 'passkey'] })
      await store.savePending(record, now)
      expect(await store.getPending(record.id, now)).toEqual(record)
      expect(await store.getPending(record.id, record.expiresAt - 1)).toEqual(record)
      expect(await store.getPending(record.id, record.expiresAt)).toBeNull()
      expect(await store.addPendingAttempt(record.id, record.expiresAt)).toBeNull()
      expect(await store.consumePending(record.id, record.expiresAt)).toBeNull()
      expect(await store.getPending((await pending()).id, now)).toBeNull()
    })

    it('counts wrong answers atomically: 30 concurrent attempts from two instances reach 30', async () => {
      const { store, another } = harness()
      const other = await another()
      const record = await pending()
      await store.savePending(record, now)
      const counts = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? other : store).addPendingAttempt(record.id, now)))
      expect([...counts].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
      expect((await store.getPending(record.id, now))?.attempts).toBe(30)
      expect(await store.addPendingAttempt((await pending()).id, now)).toBeNull()
    })

    it('of 20 concurrent consumes of a pending sign-in, from two instances, exactly one receives it', async () => {
      const { store, another } = harness()
      const other = await another()
      const record = await pending()
      await store.savePending(record, now)
      await store.addPendingAttempt(record.id, now)
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).consumePending(record.id, now + minute)))
      expect(results.filter((result) => result !== null)).toEqual([{ ...record, attempts: 1 }])
      expect(await store.getPending(record.id, now + minute)).toBeNull()
    })

    it('through createTotp and createRecoveryCodes: no TOTP secret and no recovery code in clear at rest', async () => {
      const clock = createTestClock()
      const { store } = harness()
      const totp = createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'Conformance', clock })
      const enrollment = await totp.enroll('user-at-rest', 'someone@example.com')
      expect(await totp.confirm('user-at-rest', createTotpCode(enrollment!.secret, clock))).toEqual({ ok: true })
      const codes = await createRecoveryCodes({ store, clock }).generate('user-at-rest')
      const dump = await harness().dump()
      expect(dump).toContain('v1.')
      expect(dump).not.toContain(enrollment!.secret)
      for (const code of codes) expect(dump).not.toContain(code)
    })
  })
}
