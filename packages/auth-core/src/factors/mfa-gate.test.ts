import { createRecordingAuditSink, createTestClock, createTotpCode, TEST_KEY_SECRET, trackSecrets } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { MemorySessionStore } from '../sessions/memory-session-store.js'
import { createSessionManager } from '../sessions/session-manager.js'
import { sessionAmr, sessionFactors } from '../sessions/session.js'
import type { FirstFactor } from './auth-methods.js'
import { createFactorLimiter } from './factor-limiter.js'
import { MemorySecondFactorStore } from './memory-second-factor-store.js'
import { createMfaGate, MFA_PENDING_TTL_SECONDS, type MfaGateOptions } from './mfa-gate.js'
import { createRecoveryCodes } from './recovery-codes.js'
import { createTotp } from './totp.js'

function setup(overrides: Partial<MfaGateOptions> = {}) {
  const clock = createTestClock()
  const store = new MemorySecondFactorStore()
  const audit = createRecordingAuditSink()
  const limiter = createFactorLimiter({ clock, maxAttempts: 20 })
  const totp = createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'Acme', clock, limiter, audit })
  const recoveryCodes = createRecoveryCodes({ store, clock, limiter, audit })
  const gate = createMfaGate({ store, totp, recoveryCodes, clock, audit, ...overrides })
  const sessions = createSessionManager({ store: new MemorySessionStore(), clock })
  const enrollTotp = async (userId: string) => {
    const { secret } = (await totp.enroll(userId, `${userId}@example.com`))!
    trackSecrets(secret)
    await totp.confirm(userId, createTotpCode(secret, clock))
    clock.advance(30_000)
    const codes = await recoveryCodes.generate(userId)
    trackSecrets(...codes)
    return { secret, codes }
  }
  return { clock, store, audit, totp, recoveryCodes, gate, sessions, enrollTotp }
}

const firstFactors: [string, FirstFactor][] = [
  ['password', { method: 'password' }],
  ['OAuth/OIDC', { method: 'oauth', provider: 'demo' }],
  ['an email sign-in link', { method: 'email_link' }],
  ['a passkey without user verification', { method: 'passkey', userVerified: false }],
]

describe('createMfaGate: the one gate between a first factor and a session', () => {
  it('the README example: enroll TOTP, sign in with a password, complete the pending sign-in with a code', async () => {
    const clock = createTestClock()
    const store = new MemorySecondFactorStore()
    const limiter = createFactorLimiter({ clock })
    const totp = createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'Acme', clock, limiter })
    const recoveryCodes = createRecoveryCodes({ store, clock, limiter })
    const gate = createMfaGate({ store, totp, recoveryCodes, clock })
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock })

    const enrollment = await totp.enroll('user-1', 'alice@example.com')
    trackSecrets(enrollment!.secret)
    expect(await totp.confirm('user-1', createTotpCode(enrollment!.secret, clock))).toEqual({ ok: true })
    const codes = await recoveryCodes.generate('user-1')
    trackSecrets(...codes)
    expect(codes).toHaveLength(10)

    clock.advance(30_000)
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    expect(decision.status).toBe('mfa_required')
    if (decision.status === 'complete') await sessions.create('user-1', decision.session)
    else {
      trackSecrets(decision.pendingToken)
      const result = await gate.verify(decision.pendingToken, { method: 'totp', code: createTotpCode(enrollment!.secret, clock) })
      expect(result.ok).toBe(true)
      if (result.ok) {
        const { session } = await sessions.create(result.userId, result.session)
        expect(session.authLevel).toBe('mfa')
        expect(sessionAmr(session)).toEqual(['pwd', 'otp', 'mfa'])
      }
    }
  })

  it('lets a user without a second factor through, with the first factor as authLevel and amr', async () => {
    const { gate, store } = setup()
    expect(await gate.afterFirstFactor('user-1', { method: 'password' })).toEqual({
      status: 'complete',
      userId: 'user-1',
      session: { authLevel: 'password', amr: ['pwd'], factors: [{ method: 'pwd', at: Date.UTC(2030, 0, 1) }] },
    })
    expect(await gate.afterFirstFactor('user-1', { method: 'oauth', provider: 'demo' })).toMatchObject({
      status: 'complete',
      session: { authLevel: 'oauth:demo', amr: ['fed'] },
    })
    expect(store.snapshot()).toMatchObject({ pending: [] })
  })

  it.each(firstFactors)('a user with TOTP who proved %s gets a pending sign-in, not a session', async (_name, factor) => {
    const { gate, store, enrollTotp, audit } = setup()
    await enrollTotp('user-1')
    const decision = await gate.afterFirstFactor('user-1', factor, { ip: '203.0.113.9' })
    expect(decision).toMatchObject({ status: 'mfa_required', userId: 'user-1', methods: ['totp', 'recovery'] })
    if (decision.status !== 'mfa_required') throw new Error('unreachable')
    trackSecrets(decision.pendingToken)
    expect(decision.pendingToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(decision.expiresAt).toBe(Date.UTC(2030, 0, 1) + 30_000 + MFA_PENDING_TTL_SECONDS * 1000)
    // The store keys the record on a hash: the token itself is nowhere at rest.
    expect(JSON.stringify(store.snapshot())).not.toContain(decision.pendingToken)
    expect(audit.ofType('MFA_CHALLENGED')).toMatchObject([{ userId: 'user-1', ip: '203.0.113.9', data: { methods: 'totp recovery' } }])
  })

  it('a passkey with user verification is two factors: it passes with amr hwk + mfa', async () => {
    const { gate, enrollTotp } = setup()
    await enrollTotp('user-1')
    expect(await gate.afterFirstFactor('user-1', { method: 'passkey', userVerified: true })).toMatchObject({
      status: 'complete',
      session: { authLevel: 'mfa', amr: ['hwk', 'user', 'mfa'] },
    })
  })

  it('a right TOTP code turns the pending sign-in into a session with amr pwd + otp + mfa, once', async () => {
    const { clock, gate, sessions, enrollTotp } = setup()
    const { secret } = await enrollTotp('user-1')
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    if (decision.status !== 'mfa_required') throw new Error('expected a challenge')
    trackSecrets(decision.pendingToken)
    const started = clock.now()
    clock.advance(10_000)
    const result = await gate.verify(decision.pendingToken, { method: 'totp', code: createTotpCode(secret, clock) })
    expect(result).toEqual({
      ok: true,
      userId: 'user-1',
      session: { authLevel: 'mfa', amr: ['pwd', 'otp', 'mfa'], factors: [{ method: 'pwd', at: started }, { method: 'otp', at: started + 10_000 }] },
    })
    if (!result.ok) throw new Error('unreachable')
    const { session } = await sessions.create(result.userId, result.session)
    expect(session.authLevel).toBe('mfa')
    expect(sessionAmr(session)).toEqual(['pwd', 'otp', 'mfa'])
    expect(sessionFactors(session)).toEqual(result.session.factors)
    // Single use: the same cookie again is a dead one, even with a fresh code.
    clock.advance(30_000)
    expect(await gate.verify(decision.pendingToken, { method: 'totp', code: createTotpCode(secret, clock) })).toEqual({ ok: false, reason: 'expired' })
  })

  it('a recovery code completes it too; a method the user lacks is refused', async () => {
    const { gate, enrollTotp, store } = setup()
    const { codes } = await enrollTotp('user-1')
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    if (decision.status !== 'mfa_required') throw new Error('expected a challenge')
    trackSecrets(decision.pendingToken)
    expect(await gate.verify(decision.pendingToken, { method: 'recovery', code: codes[0] })).toMatchObject({ ok: true, session: { amr: ['pwd', 'otp', 'mfa'] } })

    await store.replaceRecoveryCodes('user-1', [], 0)
    const again = await gate.afterFirstFactor('user-1', { method: 'password' })
    if (again.status !== 'mfa_required') throw new Error('expected a challenge')
    trackSecrets(again.pendingToken)
    expect(again.methods).toEqual(['totp'])
    expect(await gate.verify(again.pendingToken, { method: 'recovery', code: codes[1] })).toEqual({ ok: false, reason: 'method_not_allowed' })
  })

  it('the pending sign-in lasts 5 minutes by the injected clock', async () => {
    const { clock, gate, enrollTotp } = setup()
    const { secret } = await enrollTotp('user-1')
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    if (decision.status !== 'mfa_required') throw new Error('expected a challenge')
    trackSecrets(decision.pendingToken)
    clock.advance(MFA_PENDING_TTL_SECONDS * 1000 - 1)
    expect(await gate.pending(decision.pendingToken)).toMatchObject({ userId: 'user-1' })
    clock.advance(1)
    expect(await gate.pending(decision.pendingToken)).toBeNull()
    expect(await gate.verify(decision.pendingToken, { method: 'totp', code: createTotpCode(secret, clock) })).toEqual({ ok: false, reason: 'expired' })
  })

  it('five wrong answers burn the pending sign-in: the right code then finds nothing', async () => {
    const { clock, gate, enrollTotp } = setup()
    const { secret } = await enrollTotp('user-1')
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    if (decision.status !== 'mfa_required') throw new Error('expected a challenge')
    trackSecrets(decision.pendingToken)
    for (let i = 0; i < 4; i++) expect(await gate.verify(decision.pendingToken, { method: 'totp', code: '000000' })).toEqual({ ok: false, reason: 'invalid' })
    expect(await gate.verify(decision.pendingToken, { method: 'totp', code: '000000' })).toEqual({ ok: false, reason: 'too_many_attempts' })
    expect(await gate.verify(decision.pendingToken, { method: 'totp', code: createTotpCode(secret, clock) })).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuses forged, malformed and unknown pending tokens, and answers that are not a known method, as values', async () => {
    const { gate, enrollTotp } = setup()
    for (const token of [undefined, '', 'x'.repeat(43), 'a.b', 42]) {
      expect(await gate.verify(token, { method: 'totp', code: '123456' })).toEqual({ ok: false, reason: 'expired' })
      expect(await gate.pending(token)).toBeNull()
    }
    await enrollTotp('user-1')
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    if (decision.status !== 'mfa_required') throw new Error('expected a challenge')
    trackSecrets(decision.pendingToken)
    for (const answer of [null, 'totp', { method: 'sms', code: '123456' }, { method: 'passkey' }]) {
      expect(await gate.verify(decision.pendingToken, answer as never)).toEqual({ ok: false, reason: 'method_not_allowed' })
    }
  })

  it('shouldChallenge(context) can skip the challenge; a hook that throws challenges (fail closed)', async () => {
    const seen: unknown[] = []
    const { gate, enrollTotp } = setup({
      shouldChallenge: (context) => {
        seen.push(context)
        if (context.userAgent === 'broken') throw new Error('risk engine down')
        return context.ip !== '198.51.100.7'
      },
    })
    await enrollTotp('user-1')
    expect(await gate.afterFirstFactor('user-1', { method: 'password' }, { ip: '198.51.100.7' })).toMatchObject({
      status: 'complete',
      session: { authLevel: 'password', amr: ['pwd'] },
    })
    const challenged = await gate.afterFirstFactor('user-1', { method: 'password' }, { ip: '198.51.100.7', userAgent: 'broken' })
    expect(challenged.status).toBe('mfa_required')
    if (challenged.status === 'mfa_required') trackSecrets(challenged.pendingToken)
    expect(seen[0]).toEqual({ userId: 'user-1', firstFactor: { method: 'password' }, methods: ['totp', 'recovery'], trustedDevice: false, ip: '198.51.100.7' })
  })

  it('passkeys count as a second factor after a password, but only the pending user\'s own passkey completes it', async () => {
    const { gate, store } = setup()
    const passkey = { publicKey: 'pk', counter: 0, transports: [], deviceType: 'multiDevice' as const, backedUp: true, name: 'Phone', createdAt: 0, lastUsedAt: null }
    await store.savePasskey({ ...passkey, id: 'cred-1', userId: 'user-1' })
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' })
    expect(decision).toMatchObject({ status: 'mfa_required', methods: ['passkey'] })
    if (decision.status !== 'mfa_required') throw new Error('unreachable')
    trackSecrets(decision.pendingToken)
    expect(await gate.completeWithPasskey(decision.pendingToken, 'user-2')).toEqual({ ok: false, reason: 'method_not_allowed' })
    expect(await gate.completeWithPasskey(decision.pendingToken, 'user-1')).toMatchObject({ ok: true, session: { authLevel: 'mfa', amr: ['pwd', 'hwk', 'mfa'] } })
    // A passkey without user verification was the first factor: it is not asked for again.
    expect(await gate.afterFirstFactor('user-1', { method: 'passkey', userVerified: false })).toMatchObject({ status: 'complete', session: { amr: ['hwk'] } })
  })

  it('a step-up raises the level of the current session without a new sign-in', async () => {
    const { clock, sessions, totp, enrollTotp } = setup()
    const { secret } = await enrollTotp('user-1')
    const { token } = await sessions.create('user-1', { authLevel: 'password', amr: ['pwd'] })
    clock.advance(60_000)
    expect(await totp.verify('user-1', createTotpCode(secret, clock))).toEqual({ ok: true })
    const raised = await sessions.rotate(token, { authLevel: 'mfa', authenticated: true, amr: ['pwd', 'otp', 'mfa'] })
    expect(raised?.session).toMatchObject({ authLevel: 'mfa', authenticatedAt: clock.now() })
    expect(sessionAmr(raised!.session)).toEqual(['pwd', 'otp', 'mfa'])
  })

  it('refuses an unknown first factor with a TypeError (a new sign-in path must name itself)', async () => {
    const { gate } = setup()
    await expect(gate.afterFirstFactor('user-1', { method: 'magic' } as never)).rejects.toThrow(TypeError)
  })
})
