import { createTotp, MemorySecondFactorStore } from '@acme/auth-core'
import { describe, expect, it } from 'vitest'
import { TEST_KEY_SECRET } from '../keys/test-key-ring.js'
import { createTestClock } from '../test-clock.js'
import { createTotpCode } from './totp-code.js'

describe('createTotpCode', () => {
  it('the README example: the code of the clock\'s step confirms and verifies, once', async () => {
    const clock = createTestClock()
    const totp = createTotp({ store: new MemorySecondFactorStore(), secret: TEST_KEY_SECRET, issuer: 'Acme', clock })
    const enrollment = await totp.enroll('user-1', 'alice@example.com')
    expect(await totp.confirm('user-1', createTotpCode(enrollment!.secret, clock))).toEqual({ ok: true })
    clock.advance(30_000)
    const code = createTotpCode(enrollment!.secret, clock)
    expect(await totp.verify('user-1', code)).toEqual({ ok: true })
    expect(await totp.verify('user-1', code)).toEqual({ ok: false, reason: 'replayed' })
  })

  it('matches RFC 6238 test vectors (SHA-1, truncated to 6 digits) and reads otpauth:// URLs', () => {
    // RFC 6238 Appendix B: secret "12345678901234567890" (ASCII), at T = 59 s → 94287082, T = 1111111109 → 07081804.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
    expect(createTotpCode(secret, createTestClock(59_000))).toBe('287082')
    expect(createTotpCode(secret, createTestClock(1_111_111_109_000))).toBe('081804')
    expect(createTotpCode(`otpauth://totp/Acme:alice?secret=${secret}&issuer=Acme`, createTestClock(59_000))).toBe('287082')
    expect(createTotpCode(secret, createTestClock(89_000), -1)).toBe('287082')
    expect(() => createTotpCode('', createTestClock())).toThrow(TypeError)
  })
})
