import { createRecordingAuditSink, createTestClock, createTotpCode, deleteRedisPrefix, TEST_KEY_SECRET, trackSecrets } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { RedisSecondFactorStore } from '../redis/redis-second-factor-store.js'
import { createFactorLimiter } from './factor-limiter.js'
import { MemorySecondFactorStore } from './memory-second-factor-store.js'
import { createTotp, type TotpOptions } from './totp.js'

const step = 30_000

function setup(overrides: Partial<TotpOptions> = {}) {
  const clock = createTestClock()
  const store = new MemorySecondFactorStore()
  const audit = createRecordingAuditSink()
  const totp = createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'Acme', clock, audit, ...overrides })
  /** Enrolls and confirms a TOTP factor; returns its secret. */
  const enrolled = async (userId = 'user-1') => {
    const enrollment = (await totp.enroll(userId, `${userId}@example.com`))!
    trackSecrets(enrollment.secret)
    expect(await totp.confirm(userId, createTotpCode(enrollment.secret, clock))).toEqual({ ok: true })
    clock.advance(step) // the confirming code is used up; the next step's code is fresh
    return enrollment.secret
  }
  return { clock, store, audit, totp, enrolled }
}

describe('createTotp', () => {
  it('enrolls with a sealed secret, an otpauth URL and a QR code as SVG; a first code confirms it', async () => {
    const { clock, store, audit, totp } = setup()
    const enrollment = (await totp.enroll('user-1', 'alice@example.com'))!
    const url = new URL(enrollment.otpauthUrl)
    expect(url.protocol).toBe('otpauth:')
    expect(url.searchParams.get('secret')).toBe(enrollment.secret)
    expect(url.searchParams.get('issuer')).toBe('Acme')
    expect(Object.fromEntries(['algorithm', 'digits', 'period'].map((key) => [key, url.searchParams.get(key)]))).toEqual({ algorithm: 'SHA1', digits: '6', period: '30' })
    expect(enrollment.secret).toMatch(/^[A-Z2-7]{32}$/) // 160 bits
    expect(enrollment.qrSvg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/s)
    expect(enrollment.qrSvg).not.toMatch(/<script|href=/i)
    const stored = JSON.stringify(store.snapshot())
    expect(stored).toMatch(/"sealedSecret":"v1\.[A-Za-z0-9_-]{8}\./)
    expect(stored).not.toContain(enrollment.secret)

    expect(await totp.isEnrolled('user-1')).toBe(false)
    expect(await totp.verify('user-1', createTotpCode(enrollment.secret, clock))).toEqual({ ok: false, reason: 'not_enrolled' })
    expect(await totp.confirm('user-1', '000000')).toMatchObject({ ok: false })
    expect(await totp.confirm('user-1', createTotpCode(enrollment.secret, clock))).toEqual({ ok: true })
    expect(await totp.isEnrolled('user-1')).toBe(true)
    expect(audit.ofType('MFA_ENROLLED')).toMatchObject([{ userId: 'user-1', data: { method: 'totp' } }])
  })

  it('a newer enrollment replaces a pending one; an active factor is never replaced by enroll()', async () => {
    const { clock, totp, enrolled } = setup()
    const first = (await totp.enroll('user-1', 'alice@example.com'))!
    const second = (await totp.enroll('user-1', 'alice@example.com'))!
    expect(await totp.confirm('user-1', createTotpCode(first.secret, clock))).toEqual({ ok: false, reason: 'invalid' })
    expect(await totp.confirm('user-1', createTotpCode(second.secret, clock))).toEqual({ ok: true })
    expect(await totp.enroll('user-1', 'alice@example.com')).toBeNull()
    expect(await totp.remove('user-1')).toBe(true)
    await enrolled('user-1')
  })

  it('accepts the codes of the previous and the next 30-second step, not two steps off', async () => {
    const { clock, totp, enrolled } = setup()
    const [a, b, c, d] = [await enrolled('a'), await enrolled('b'), await enrolled('c'), await enrolled('d')]
    expect(await totp.verify('a', createTotpCode(a, clock, -1))).toEqual({ ok: true })
    expect(await totp.verify('b', createTotpCode(b, clock, 1))).toEqual({ ok: true })
    expect(await totp.verify('c', createTotpCode(c, clock, -2))).toEqual({ ok: false, reason: 'invalid' })
    expect(await totp.verify('d', createTotpCode(d, clock, 2))).toEqual({ ok: false, reason: 'invalid' })
    expect(await totp.verify('c', 'not a code')).toEqual({ ok: false, reason: 'invalid' })
    expect(await totp.verify('d', ` ${createTotpCode(d, clock).replace(/(\d{3})/, '$1 ')} `)).toEqual({ ok: true })
  })

  it('accepts a code once: a replay in its window is refused, and so is an older code after a newer one', async () => {
    const { clock, audit, totp, enrolled } = setup()
    const secret = await enrolled()
    const code = createTotpCode(secret, clock)
    expect(await totp.verify('user-1', code)).toEqual({ ok: true })
    expect(await totp.verify('user-1', code)).toEqual({ ok: false, reason: 'replayed' })
    clock.advance(step - 1) // still inside the code's ±1 window
    expect(await totp.verify('user-1', code)).toEqual({ ok: false, reason: 'replayed' })
    expect(await totp.verify('user-1', createTotpCode(secret, clock, 1))).toEqual({ ok: true })
    expect(await totp.verify('user-1', createTotpCode(secret, clock))).toEqual({ ok: false, reason: 'replayed' })
    expect(audit.ofType('MFA_FAILED').map((event) => event.reason)).toEqual(['replayed', 'replayed', 'replayed'])
  })

  it('of 20 concurrent verifications of one code, exactly one succeeds', async () => {
    const { clock, totp, enrolled } = setup({ limiter: createFactorLimiter({ maxAttempts: 50 }) })
    const secret = await enrolled()
    const code = createTotpCode(secret, clock)
    const results = await Promise.all(Array.from({ length: 20 }, () => totp.verify('user-1', code)))
    expect(results.filter((result) => result.ok)).toHaveLength(1)
  })

  it('limits wrong codes per user: after 5 the right code is refused with Retry-After until the window ends', async () => {
    const { clock, totp, enrolled } = setup()
    const secret = await enrolled()
    await enrolled('user-2')
    for (let i = 0; i < 5; i++) expect(await totp.verify('user-1', '000000')).toMatchObject({ ok: false, reason: 'invalid' })
    const refused = await totp.verify('user-1', createTotpCode(secret, clock))
    expect(refused).toMatchObject({ ok: false, reason: 'rate_limited' })
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThan(0)
    expect(await totp.verify('user-2', '000000')).toMatchObject({ reason: 'invalid' }) // another user's budget is untouched
    clock.advance(15 * 60_000)
    expect(await totp.verify('user-1', createTotpCode(secret, clock))).toEqual({ ok: true })
  })

  it('opens secrets sealed with an older key-encryption secret listed after the current one; a missing one fails closed', async () => {
    const { clock, store, enrolled } = setup()
    const secret = await enrolled()
    const rotated = createTotp({ store, secret: ['a-brand-new-key-encryption-secret-0123456789', TEST_KEY_SECRET], issuer: 'Acme', clock })
    expect(await rotated.verify('user-1', createTotpCode(secret, clock))).toEqual({ ok: true })
    const wrong = createTotp({ store, secret: 'a-brand-new-key-encryption-secret-0123456789', issuer: 'Acme', clock })
    clock.advance(step)
    await expect(wrong.verify('user-1', createTotpCode(secret, clock))).rejects.toMatchObject({ code: 'ERR_KEY_ENCRYPTION' })
  })

  it('refuses bad options with a TypeError naming the option', () => {
    const store = new MemorySecondFactorStore()
    expect(() => createTotp({ store, secret: 'short', issuer: 'Acme' })).toThrow(/options\.secret/)
    expect(() => createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'A:B' })).toThrow(/options\.issuer/)
    expect(() => createTotp({ store: {} as never, secret: TEST_KEY_SECRET, issuer: 'Acme' })).toThrow(/options\.store/)
  })

  it('a replay on another instance sharing Redis is refused: two managers, two connections, one store', async () => {
    const prefix = `test:totp:${process.pid}:${Date.now()}:`
    const clients = [new Redis({ lazyConnect: true, enableOfflineQueue: false }), new Redis({ lazyConnect: true, enableOfflineQueue: false })]
    await Promise.all(clients.map((client) => client.connect()))
    try {
      const clock = createTestClock()
      const [one, two] = clients.map((client) =>
        createTotp({ store: new RedisSecondFactorStore({ client, prefix }), secret: TEST_KEY_SECRET, issuer: 'Acme', clock }),
      )
      const enrollment = (await one!.enroll('user-1', 'alice@example.com'))!
      expect(await two!.confirm('user-1', createTotpCode(enrollment.secret, clock))).toEqual({ ok: true })
      clock.advance(step)
      const code = createTotpCode(enrollment.secret, clock)
      expect(await one!.verify('user-1', code)).toEqual({ ok: true })
      expect(await two!.verify('user-1', code)).toEqual({ ok: false, reason: 'replayed' })
    } finally {
      await deleteRedisPrefix(clients[0]!, prefix)
      for (const client of clients) client.disconnect()
    }
  })
})
