import { createRecordingAuditSink, createTestClock, createTotpCode, TEST_KEY_SECRET, trackSecrets } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { deviceLabel } from './lib/device-label.js'
import { createFactorLimiter } from './factor-limiter.js'
import { MemorySecondFactorStore } from './memory-second-factor-store.js'
import { createMfaGate, type MfaChallengeContext, type MfaGateOptions } from './mfa-gate.js'
import { createRecoveryCodes } from './recovery-codes.js'
import { createTotp } from './totp.js'
import { createTrustedDevices } from './trusted-devices.js'

const day = 86_400_000
const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

async function setup(gateOptions: Partial<MfaGateOptions> = {}) {
  const clock = createTestClock()
  const store = new MemorySecondFactorStore()
  const audit = createRecordingAuditSink()
  const limiter = createFactorLimiter({ clock })
  const totp = createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'Acme', clock, limiter })
  const recoveryCodes = createRecoveryCodes({ store, clock, limiter })
  const devices = createTrustedDevices({ store, clock, audit })
  const gate = createMfaGate({ store, totp, recoveryCodes, clock, trustedDevices: devices, ...gateOptions })
  for (const userId of ['user-1', 'user-2']) {
    const { secret } = (await totp.enroll(userId, `${userId}@example.com`))!
    trackSecrets(secret)
    await totp.confirm(userId, createTotpCode(secret, clock))
  }
  const trust = async (userId: string) => {
    const trusted = await devices.trust(userId, { userAgent: firefox })
    trackSecrets(trusted.cookie)
    return trusted
  }
  return { clock, store, audit, devices, gate, trust }
}

describe('createTrustedDevices: remember this device', () => {
  it('a cookie of <id>.<secret> whose hash only is stored, checked for its own user only, for 30 days by the clock', async () => {
    const { clock, store, devices, trust } = await setup()
    const { cookie, device } = await trust('user-1')
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
    expect(device).toEqual({ id: cookie.split('.')[0], label: 'Firefox on Linux', createdAt: clock.now(), expiresAt: clock.now() + 30 * day, lastUsedAt: null })
    expect(JSON.stringify(store.snapshot())).not.toContain(cookie.split('.')[1])
    expect(devices.maxAgeSeconds).toBe(30 * 86_400)

    clock.advance(day)
    expect(await devices.check('user-1', cookie)).toBe(true)
    expect(await devices.list('user-1')).toEqual([{ ...device, lastUsedAt: clock.now() }])
    expect(await devices.check('user-2', cookie)).toBe(false)
    const [id, secret] = cookie.split('.') as [string, string]
    const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`
    for (const wrong of [forged, `${id}.`, id, '', null, 42, `${cookie}x`]) expect(await devices.check('user-1', wrong)).toBe(false)

    clock.advance(29 * day - 1)
    expect(await devices.check('user-1', cookie)).toBe(true)
    clock.advance(1)
    expect(await devices.check('user-1', cookie)).toBe(false)
    expect(await devices.list('user-1')).toEqual([])
  })

  it('forget removes one device of the user only; forgetAll removes all; both audited without secrets', async () => {
    const { devices, audit, trust } = await setup()
    const first = await trust('user-1')
    const second = await trust('user-1')
    const theirs = await trust('user-2')
    expect(await devices.forget('user-2', first.device.id)).toBe(false)
    expect(await devices.forget('user-1', first.device.id)).toBe(true)
    expect(await devices.check('user-1', first.cookie)).toBe(false)
    expect(await devices.check('user-1', second.cookie)).toBe(true)
    expect(await devices.forgetAll('user-1', 'logout_all')).toBe(1)
    expect(await devices.check('user-1', second.cookie)).toBe(false)
    expect(await devices.check('user-2', theirs.cookie)).toBe(true)
    expect(audit.events.map((event) => [event.type, event.reason ?? null])).toEqual([
      ['MFA_DEVICE_TRUSTED', null],
      ['MFA_DEVICE_TRUSTED', null],
      ['MFA_DEVICE_TRUSTED', null],
      ['MFA_DEVICE_FORGOTTEN', 'user'],
      ['MFA_DEVICE_FORGOTTEN', 'logout_all'],
    ])
  })

  it('refuses options out of range at construction', () => {
    const store = new MemorySecondFactorStore()
    for (const days of [0, 366, 1.5, '30']) expect(() => createTrustedDevices({ store, days: days as number })).toThrow(TypeError)
    expect(createTrustedDevices({ store, days: 7 }).maxAgeSeconds).toBe(7 * 86_400)
  })

  it('the gate: a trusted device skips the challenge with a first-factor session (no second factor claimed)', async () => {
    const { gate, trust } = await setup()
    const { cookie } = await trust('user-1')
    expect(await gate.afterFirstFactor('user-1', { method: 'password' }, {}, { cookie })).toEqual({
      status: 'complete',
      userId: 'user-1',
      session: { authLevel: 'password', amr: ['pwd'], factors: [expect.objectContaining({ method: 'pwd' })] },
      device: 'trusted',
    })
    // Another user's sign-in with this cookie: challenged, and the cookie is reported as rejected.
    const other = await gate.afterFirstFactor('user-2', { method: 'password' }, {}, { cookie })
    expect(other).toMatchObject({ status: 'mfa_required', device: 'rejected' })
    if (other.status === 'mfa_required') trackSecrets(other.pendingToken)
    const none = await gate.afterFirstFactor('user-1', { method: 'password' })
    expect(none.status).toBe('mfa_required')
    expect(none).not.toHaveProperty('device')
    if (none.status === 'mfa_required') trackSecrets(none.pendingToken)
  })

  it('the gate: an app hook sees trustedDevice and decides (it replaces the default)', async () => {
    const seen: MfaChallengeContext[] = []
    const { gate, trust } = await setup({ shouldChallenge: (context) => (seen.push(context), true) })
    const { cookie } = await trust('user-1')
    const decision = await gate.afterFirstFactor('user-1', { method: 'password' }, {}, { cookie })
    expect(decision).toMatchObject({ status: 'mfa_required', device: 'trusted' })
    if (decision.status === 'mfa_required') trackSecrets(decision.pendingToken)
    expect(seen[0]?.trustedDevice).toBe(true)
  })
})

describe('deviceLabel', () => {
  it('names the browser family and system only', () => {
    expect(deviceLabel(firefox)).toBe('Firefox on Linux')
    expect(deviceLabel('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15')).toBe('Safari on macOS')
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0')).toBe('Edge on Windows')
    expect(deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0 Mobile/15E148 Safari/604.1')).toBe('Chrome on iOS')
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36')).toBe('Chrome on Linux')
    expect(deviceLabel(undefined)).toBe('Unknown browser')
    expect(deviceLabel('curl/8.5.0')).toBe('Unknown browser')
  })
})
