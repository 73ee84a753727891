import type { SecondFactorStore, TrustedDeviceRecord } from '@acme/auth-core'
import { randomToken, sha256 } from '@acme/auth-core/internal'
import { expect, it } from 'vitest'
import { createTestClock } from '../test-clock.js'
import type { StoreHarness } from './store-harness.js'

const day = 86_400_000

/**
 * The trusted-device part of the second-factor store contract ("remember this device"), run by
 * `runSecondFactorStoreConformance` inside its `describe`: records are kept field for field,
 * expire by the caller's clock, belong to one user (another user's id finds, touches and deletes
 * nothing), and are forgotten one at a time or all at once.
 */
export function trustedDeviceStoreCases(harness: () => Required<Omit<StoreHarness<SecondFactorStore>, 'close'>>): void {
  const clock = createTestClock(Date.UTC(2030, 0, 1))
  const user = () => `user-${randomToken(6)}`
  const device = async (userId: string, overrides: Partial<TrustedDeviceRecord> = {}): Promise<TrustedDeviceRecord> => ({
    id: randomToken(16),
    userId,
    secretHash: await sha256(randomToken(32)),
    label: 'Firefox on Linux',
    createdAt: clock.now(),
    expiresAt: clock.now() + 30 * day,
    lastUsedAt: null,
    ...overrides,
  })

  it('trusted devices: kept field for field, listed oldest first, touched, and gone at expiresAt by the test clock', async () => {
    const { store } = harness()
    const start = clock.now()
    const userId = user()
    const older = await device(userId, { createdAt: start - 1000 })
    const newer = await device(userId, { label: 'Safari on iOS' })
    await store.saveTrustedDevice(newer, start)
    await store.saveTrustedDevice(older, start)
    expect(await store.getTrustedDevice(userId, newer.id, start)).toEqual(newer)
    expect(await store.listTrustedDevices(userId, start)).toEqual([older, newer])
    clock.advance(day)
    expect(await store.touchTrustedDevice(userId, newer.id, clock.now())).toBe(true)
    expect(await store.getTrustedDevice(userId, newer.id, clock.now())).toEqual({ ...newer, lastUsedAt: clock.now() })
    expect(await store.getTrustedDevice(userId, newer.id, newer.expiresAt - 1)).not.toBeNull()
    expect(await store.getTrustedDevice(userId, newer.id, newer.expiresAt)).toBeNull()
    expect(await store.touchTrustedDevice(userId, newer.id, newer.expiresAt)).toBe(false)
    expect(await store.listTrustedDevices(userId, newer.expiresAt)).toEqual([])
    expect(await store.getTrustedDevice(userId, randomToken(16), start)).toBeNull()
  })

  it('trusted devices belong to their user: another user finds, touches, lists and deletes nothing', async () => {
    const { store } = harness()
    const [owner, someoneElse] = [user(), user()]
    const record = await device(owner)
    await store.saveTrustedDevice(record, clock.now())
    expect(await store.getTrustedDevice(someoneElse, record.id, clock.now())).toBeNull()
    expect(await store.touchTrustedDevice(someoneElse, record.id, clock.now())).toBe(false)
    expect(await store.listTrustedDevices(someoneElse, clock.now())).toEqual([])
    expect(await store.deleteTrustedDevice(someoneElse, record.id)).toBe(false)
    expect(await store.deleteTrustedDevices(someoneElse)).toBe(0)
    expect(await store.getTrustedDevice(owner, record.id, clock.now())).toEqual(record)
  })

  it('forgets one trusted device, then all of a user at once, leaving other users alone', async () => {
    const { store, another } = harness()
    const [userId, other] = [user(), user()]
    const records = await Promise.all([device(userId), device(userId), device(userId)])
    for (const record of records) await store.saveTrustedDevice(record, clock.now())
    const kept = await device(other)
    await store.saveTrustedDevice(kept, clock.now())
    const second = await another()
    expect(await second.deleteTrustedDevice(userId, records[0].id)).toBe(true)
    expect(await store.deleteTrustedDevice(userId, records[0].id)).toBe(false)
    expect((await store.listTrustedDevices(userId, clock.now())).map((record) => record.id).sort()).toEqual([records[1].id, records[2].id].sort())
    expect(await second.deleteTrustedDevices(userId)).toBe(2)
    expect(await store.listTrustedDevices(userId, clock.now())).toEqual([])
    expect(await store.getTrustedDevice(userId, records[1].id, clock.now())).toBeNull()
    expect(await store.listTrustedDevices(other, clock.now())).toEqual([kept])
  })

  it('keeps only the hash of a trusted device secret at rest', async () => {
    const { store, dump } = harness()
    const secret = randomToken(32)
    const record = await device(user(), { secretHash: await sha256(`acme-auth/trusted-device:${secret}`) })
    await store.saveTrustedDevice(record, clock.now())
    const stored = await dump()
    expect(stored).toContain(record.secretHash)
    expect(stored).not.toContain(secret)
  })
}
