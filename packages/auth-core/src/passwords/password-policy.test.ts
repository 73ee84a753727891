import { describe, expect, it } from 'vitest'
import { isAuthError } from '../errors.js'
import { createOfflineBreachedPasswords, createPwnedPasswordsRange, isPasswordBreached } from './breached-passwords.js'
import { createPasswordPolicy } from './password-policy.js'

describe('createPasswordPolicy', () => {
  it('refuses passwords under the minimum (8 by default, configurable) and over 256 characters', async () => {
    const policy = createPasswordPolicy()
    expect(await policy.check('short12')).toEqual({ ok: false, violations: ['too_short'] })
    expect(await policy.check('long enough')).toEqual({ ok: true, password: 'long enough' })
    expect(await policy.check('x'.repeat(257))).toEqual({ ok: false, violations: ['too_long'] })
    expect((await policy.check('x'.repeat(256))).ok).toBe(true)
    expect((await createPasswordPolicy({ minLength: 12 }).check('elevenchars'))).toEqual({ ok: false, violations: ['too_short'] })
  })

  it('counts characters after NFKC normalisation and returns the normalised password', async () => {
    const policy = createPasswordPolicy()
    const decomposed = 'cafe\u0301-cafe\u0301' // 11 code points, 9 after NFKC
    expect(await policy.check(decomposed)).toEqual({ ok: true, password: 'café-café' })
    expect(await policy.check('ｐａｓｓ１２３４５')).toEqual({ ok: true, password: 'pass12345' }) // full-width → ASCII
    // Emoji count as one character each, not two UTF-16 units.
    expect(await policy.check('😀😀😀😀😀😀😀')).toEqual({ ok: false, violations: ['too_short'] })
  })

  it('refuses a breached password through the pluggable check, and assert throws ERR_PASSWORD_POLICY without the password', async () => {
    const policy = createPasswordPolicy({ breached: createOfflineBreachedPasswords() })
    expect(await policy.check('password123')).toEqual({ ok: false, violations: ['breached'] })
    expect(await policy.check('Ｐａｓｓｗｏｒｄ１２３')).toEqual({ ok: false, violations: ['breached'] }) // NFKC first
    expect((await policy.check('a rare and long passphrase')).ok).toBe(true)
    const error: unknown = await policy.assert('password123').catch((e: unknown) => e)
    expect(isAuthError(error, 'ERR_PASSWORD_POLICY')).toBe(true)
    expect((error as Error).message).not.toContain('password123')
  })

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => createPasswordPolicy({ minLength: 0 })).toThrow(/options\.minLength/)
    expect(() => createPasswordPolicy({ minLength: 10, maxLength: 9 })).toThrow(/options\.maxLength/)
    expect(() => createPasswordPolicy({ breached: {} as never })).toThrow(/options\.breached\.range/)
  })
})

describe('breached-password sources (k-anonymity)', () => {
  it('sends only a 5-character SHA-1 prefix to a range API and matches the suffix', async () => {
    const requested: string[] = []
    const source = createPwnedPasswordsRange({
      fetch: (url) => {
        requested.push(url as string)
        // SHA-1('password') = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8; one padding line (count 0).
        const body = '1E4C9B93F3F0682250B6CF8331B7EE68FD8:9659365\r\n0000000000000000000000000000000000A:0'
        return Promise.resolve(new Response(body))
      },
    })
    expect(await isPasswordBreached('password', source)).toBe(true)
    expect(requested).toEqual(['https://api.pwnedpasswords.com/range/5BAA6'])
    expect(await isPasswordBreached('password', source, 10_000_000)).toBe(false)
  })

  it('the offline source answers from its list only', async () => {
    const source = createOfflineBreachedPasswords(['hunter2hunter2'])
    expect(await isPasswordBreached('hunter2hunter2', source)).toBe(true)
    expect(await isPasswordBreached('password', source)).toBe(false)
  })
})
