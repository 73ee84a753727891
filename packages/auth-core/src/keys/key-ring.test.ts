import { createTestClock, createRecordingAuditSink } from '@acme/auth-testing'
import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import type { AuditEvent, AuditSink } from '../audit/audit-event.js'
import { isAuthError } from '../errors.js'
import { createAccessTokens } from '../tokens/access-tokens.js'
import { createAccessTokenVerifier } from '../tokens/access-token-verifier.js'
import { createKeyRing } from './key-ring.js'
import { MemoryKeyStore } from './memory-key-store.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const minute = 60_000

function setup(overrides: { store?: MemoryKeyStore; secret?: string } = {}) {
  const clock = createTestClock()
  const events: AuditEvent[] = []
  const store = overrides.store ?? new MemoryKeyStore({ clock })
  const keyRing = createKeyRing({ store, secret: overrides.secret ?? secret, clock, audit: recordInto(events) })
  const tokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
  const verifier = createAccessTokenVerifier({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
  const issue = async () => (await tokens.issue({ sub: 'u1', sid: 's1', roles: [] })).token
  return { clock, store, keyRing, events, issue, verifier }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(() => 'ok', (error: unknown) => (isAuthError(error) ? error.code : String(error)))

describe('createKeyRing', () => {
  it('starts with one active EdDSA key and publishes public members only', async () => {
    const { keyRing } = setup()
    await keyRing.ready()
    const [key, ...rest] = await keyRing.list()
    expect(rest).toHaveLength(0)
    expect(key).toMatchObject({ alg: 'EdDSA', status: 'active', retiresAt: null })
    const { keys } = await keyRing.jwks()
    expect(keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String) as string, kid: key!.kid, alg: 'EdDSA', use: 'sig' }])
  })

  it('keeps private keys only sealed in the store, and a tampered envelope fails loudly', async () => {
    const { keyRing, store } = setup()
    await keyRing.ready()
    const { keys, version } = await store.load()
    expect(keys[0]!.sealedPrivateKey).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+$/)
    expect(JSON.stringify(keys)).not.toContain('"d"')
    const tampered = { ...keys[0]!, sealedPrivateKey: keys[0]!.sealedPrivateKey.slice(0, -2) + 'AA' }
    await store.compareAndSet([tampered], version)
    const other = setup({ store })
    expect(await codeOf(other.keyRing.ready())).toBe('ERR_KEY_ENCRYPTION')
  })

  it('fails at start-up with ERR_KEY_ENCRYPTION on a wrong secret, and with a TypeError on a missing one', async () => {
    const first = setup()
    await first.keyRing.ready()
    const wrong = setup({ store: first.store, secret: 'another-secret-that-is-32-chars-long' })
    const error: unknown = await wrong.keyRing.ready().catch((caught: unknown) => caught)
    expect(isAuthError(error, 'ERR_KEY_ENCRYPTION')).toBe(true)
    expect((error as Error).message).toMatch(/not configured/)
    expect(() => createKeyRing({ store: first.store } as never)).toThrow(/options\.secret is required/)
    expect(() => createKeyRing({ store: first.store, secret: 'short' })).toThrow(TypeError)
    // The old secret listed second still opens keys while the new one seals.
    const rotated = createKeyRing({ store: first.store, secret: ['another-secret-that-is-32-chars-long', secret] })
    await expect(rotated.ready()).resolves.toBeUndefined()
  })

  it('publishes the next key in the JWKS before it signs, and promotes it after the delay', async () => {
    const { keyRing, clock, issue, events } = setup()
    const [old] = await keyRing.list()
    const next = await keyRing.rotate()
    expect(next.status).toBe('next')
    expect(next.activatesAt).toBe(clock.now() + 10 * minute)
    expect((await keyRing.jwks()).keys.map((key) => key.kid)).toEqual([old!.kid, next.kid])
    expect(decodeProtectedHeader(await issue()).kid).toBe(old!.kid)
    // Asking again while a key is pending returns it instead of stacking keys.
    expect((await keyRing.rotate()).kid).toBe(next.kid)
    clock.advance(10 * minute - 1)
    expect(decodeProtectedHeader(await issue()).kid).toBe(old!.kid)
    clock.advance(1)
    expect(decodeProtectedHeader(await issue()).kid).toBe(next.kid)
    expect((await keyRing.list()).map((key) => key.status)).toEqual(['retired', 'active'])
    expect(events.filter((event) => event.type === 'KEY_ROTATED')).toHaveLength(2)
    expect(events.filter((event) => event.type === 'KEY_ROTATED').map((event) => event.data?.trigger)).toEqual(['bootstrap', 'manual'])
  })

  it('records who asked for a rotation (trigger cli) and refuses an unknown trigger', async () => {
    const { keyRing, events } = setup()
    await keyRing.ready()
    await expect(keyRing.rotate({ trigger: 'cron' as 'cli' })).rejects.toThrow(TypeError)
    const fresh = await keyRing.rotate({ compromised: true, trigger: 'cli' })
    expect(events.filter((event) => event.type === 'KEY_ROTATED').at(-1)!.data).toMatchObject({ kid: fresh.kid, trigger: 'cli', compromised: true })
  })

  it('verifies a token signed by a retired key until the key is removed, then fails with ERR_JWKS_NO_MATCHING_KEY', async () => {
    const { keyRing, clock, issue, verifier } = setup()
    await keyRing.ready()
    const next = await keyRing.rotate()
    clock.set(next.activatesAt - 1000)
    const token = await issue() // signed by the old key one second before it retires
    clock.set(next.activatesAt + 5 * minute)
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u1' })
    const [retired] = await keyRing.list()
    expect(retired!.status).toBe('retired')
    expect(retired!.removesAt! - retired!.retiresAt!).toBe((2 * 15 * 60 + 30) * 1000)
    clock.set(retired!.removesAt! - 1)
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWT_EXPIRED') // the key is still found
    clock.set(retired!.removesAt!)
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect((await keyRing.jwks()).keys.map((key) => key.kid)).toEqual([next.kid])
  })

  it('after a compromise, signs with the new key at once and drops every old key', async () => {
    const { keyRing, issue, verifier, events } = setup()
    const before = await issue()
    const fresh = await keyRing.rotate({ compromised: true })
    expect(fresh.status).toBe('active')
    expect(decodeProtectedHeader(await issue()).kid).toBe(fresh.kid)
    expect(await codeOf(verifier.verify(before))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect((await keyRing.jwks()).keys).toHaveLength(1)
    expect(events.find((event) => event.type === 'KEY_REMOVED')).toMatchObject({ reason: 'compromised' })
  })

  it('a second instance stops verifying a compromised key within refreshSeconds (15 s by default, 30 s at most)', async () => {
    const clock = createTestClock()
    const store = new MemoryKeyStore({ clock })
    const ring = (rotation?: { refreshSeconds: number }) => createKeyRing({ store, secret, clock, ...(rotation ? { rotation } : {}) })
    const a = ring()
    const tokens = createAccessTokens({ keyRing: a, issuer: 'https://app.test', audience: 'api', clock })
    const before = (await tokens.issue({ sub: 'u1', sid: 's1', roles: [] })).token
    const verifierOf = (keyRing: ReturnType<typeof ring>) => createAccessTokenVerifier({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
    const b = verifierOf(ring())
    const slowest = verifierOf(ring({ refreshSeconds: 30 }))
    await expect(b.verify(before)).resolves.toMatchObject({ sub: 'u1' }) // both hold the ring now
    await expect(slowest.verify(before)).resolves.toMatchObject({ sub: 'u1' })
    await a.rotate({ compromised: true })
    clock.advance(15_000)
    expect(await codeOf(b.verify(before))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    clock.advance(15_000)
    expect(await codeOf(slowest.verify(before))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(() => ring({ refreshSeconds: 31 })).toThrow(/options\.rotation\.refreshSeconds/)
  })

  it('rotates on schedule exactly once across rings sharing a store, then removes the retired key', async () => {
    const shared = setup()
    const other = setup({ store: shared.store })
    other.clock.set(shared.clock.now())
    await shared.keyRing.ready()
    await other.keyRing.maintain()
    expect(shared.events.concat(other.events).filter((event) => event.type === 'KEY_ROTATED')).toHaveLength(1) // bootstrap only
    for (const clock of [shared.clock, other.clock]) clock.advance(30 * 24 * 60 * minute)
    await Promise.all([shared.keyRing.maintain(), other.keyRing.maintain(), shared.keyRing.maintain()])
    const rotations = shared.events.concat(other.events).filter((event) => event.type === 'KEY_ROTATED')
    expect(rotations).toHaveLength(2)
    expect(rotations[1]!.data).toMatchObject({ trigger: 'scheduled' })
    // Every instance re-reads the shared ring within refreshSeconds (30 s by default).
    for (const clock of [shared.clock, other.clock]) clock.advance(30_000)
    expect(await other.keyRing.list()).toEqual(await shared.keyRing.list())
    expect((await other.keyRing.list()).map((key) => key.status)).toEqual(['active', 'next'])
    for (const clock of [shared.clock, other.clock]) clock.advance(10 * minute + 1830 * 1000)
    await other.keyRing.maintain()
    expect(other.events.filter((event) => event.type === 'KEY_REMOVED')).toHaveLength(1)
    expect((await shared.store.load()).keys).toHaveLength(1)
  })

  it('validates options once, naming the option path', () => {
    const store = new MemoryKeyStore()
    expect(() => createKeyRing({ store, secret, alg: 'HS256' as never })).toThrow(/options\.alg/)
    expect(() => createKeyRing({ store, secret, rotation: { retainSeconds: 60 } })).toThrow(/options\.rotation\.retainSeconds/)
    expect(() => createKeyRing({ store, secret, rotation: { jwksMaxAgeSeconds: 600, promoteDelaySeconds: 60 } })).toThrow(
      /options\.rotation\.promoteDelaySeconds/,
    )
    expect(() => createKeyRing({ store: {} as never, secret })).toThrow(/options\.store\.load/)
  })
})

/** Keeps this file's events for its own assertions and records them for the whole-run secret check. */
function recordInto(events: AuditEvent[]): AuditSink {
  const recording = createRecordingAuditSink()
  return {
    emit(event) {
      events.push(event)
      recording.emit(event)
    },
  }
}
