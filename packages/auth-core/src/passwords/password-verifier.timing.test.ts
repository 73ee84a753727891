import { describe, expect, it, vi } from 'vitest'
import { createArgon2idHasher } from '../argon2/argon2id-hasher.js'
import { createPasswordVerifier, type PasswordAccount } from './password-verifier.js'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

// Other suites run on the same 2 cores at the same time, so the measurements are interleaved (both
// paths see the same load), alternate which goes first, and compare medians of many runs.
describe('createPasswordVerifier timing (OWASP argon2id)', () => {
  it(
    'an unknown user takes as long as a wrong password (medians within 20%), and a verifier without the dummy hash would be caught',
    { retry: 2, timeout: 30_000 },
    async () => {
      const hasher = createArgon2idHasher()
      const verifier = createPasswordVerifier({ hasher })
      await verifier.prepare()
      const account: PasswordAccount = { id: 'u1', passwordHash: await hasher.hash('the right password') }
      // The same shape of code with the dummy hash removed: the control the real path must not resemble.
      const withoutDummy = (user: PasswordAccount | null, password: string) =>
        user === null ? Promise.resolve({ valid: false }) : verifier.verify(user, password)

      const unknown: number[] = []
      const wrong: number[] = []
      const noDummy: number[] = []
      const runs = 31
      for (let i = 0; i < runs + 2; i++) {
        const pair = [
          () => time(() => verifier.verify(null, 'a wrong password')),
          () => time(() => verifier.verify(account, 'a wrong password')),
        ] as const
        const [first, second] = i % 2 === 0 ? [pair[0], pair[1]] : [pair[1], pair[0]]
        const a = await first()
        const b = await second()
        const c = await time(() => withoutDummy(null, 'a wrong password'))
        if (i < 2) continue // warm-up
        unknown.push(i % 2 === 0 ? a : b)
        wrong.push(i % 2 === 0 ? b : a)
        noDummy.push(c)
      }
      const [mUnknown, mWrong, mNoDummy] = [median(unknown), median(wrong), median(noDummy)]
      console.log(
        `verify medians over ${runs} interleaved runs: unknown user ${mUnknown.toFixed(2)} ms, wrong password ${mWrong.toFixed(2)} ms, ` +
          `ratio ${(mUnknown / mWrong).toFixed(3)}; without dummy hash ${mNoDummy.toFixed(3)} ms`,
      )
      expect(mWrong).toBeGreaterThan(2) // a real argon2id verify, not a no-op
      expect(Math.abs(mUnknown - mWrong)).toBeLessThanOrEqual(0.2 * Math.max(mUnknown, mWrong))
      expect(mNoDummy).toBeLessThan(0.2 * mWrong) // the measurement does see a missing dummy hash
    },
  )

  it('verifies an unknown user against a dummy hash made with the current parameters', async () => {
    const hasher = createArgon2idHasher()
    const verify = vi.fn(hasher.verify)
    const verifier = createPasswordVerifier({ hasher: { ...hasher, verify } })
    expect(await verifier.verify(null, 'a wrong password')).toEqual({ valid: false, reason: 'unknown_user' })
    expect(await verifier.verify({ id: 'u2', passwordHash: null }, 'whatever1')).toEqual({ valid: false, reason: 'bad_password' })
    expect(verify).toHaveBeenCalledTimes(2)
    const dummy = verify.mock.calls[0]![0]
    expect(hasher.needsRehash(dummy)).toBe(false)
    expect(verify.mock.calls[1]![0]).toBe(dummy) // made once, reused
  })
})
