import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createRecordingAuditSink, trackSecrets } from '@acme/auth-testing'
import { createArgon2idHasher } from '../argon2/argon2id-hasher.js'
import { createLoginLimiter } from '../rate-limit/login-limiter.js'
import { createPasswordSignIn, type PasswordSignInUsers } from './password-sign-in.js'
import { createPasswordVerifier, type PasswordAccount } from './password-verifier.js'

const password = 'alice has a long password'
trackSecrets(password, 'not alices password')

async function setup(storedWith = createArgon2idHasher()) {
  const clock = createTestClock()
  const hasher = createArgon2idHasher()
  const db = new Map<string, PasswordAccount>([['alice@example.com', { id: 'alice', passwordHash: await storedWith.hash(password) }]])
  const saved: string[] = []
  const users: PasswordSignInUsers = {
    find: (login) => Promise.resolve(db.get(login) ?? null),
    saveHash(userId, passwordHash) {
      saved.push(passwordHash)
      db.set('alice@example.com', { id: userId, passwordHash })
      return Promise.resolve()
    },
  }
  const audit = createRecordingAuditSink()
  const limiter = createLoginLimiter({ store: 'memory', clock })
  const signIn = createPasswordSignIn({ users, verifier: createPasswordVerifier({ hasher }), limiter, audit, clock })
  return { clock, hasher, db, saved, audit, signIn }
}

describe('createPasswordSignIn', () => {
  it('rehashes transparently when the stored hash used old parameters, once', async () => {
    const { signIn, saved, hasher, db } = await setup(createArgon2idHasher({ memoryCost: 4096, timeCost: 1 }))
    expect(await signIn.signIn({ login: 'alice@example.com', password })).toEqual({ ok: true, userId: 'alice', rehashed: true })
    expect(saved).toHaveLength(1)
    expect(saved[0]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(hasher.needsRehash(db.get('alice@example.com')!.passwordHash!)).toBe(false)
    expect(await signIn.signIn({ login: 'alice@example.com', password })).toEqual({ ok: true, userId: 'alice', rehashed: false })
    expect(saved).toHaveLength(1)
  })

  it('answers unknown_user and bad_password alike to the client and audits the reason, never the password or login', async () => {
    const { signIn, audit } = await setup()
    const unknown = await signIn.signIn({ login: 'mallory@example.com', password: 'not alices password' }, { ip: '203.0.113.9', requestId: 'r1' })
    const wrong = await signIn.signIn({ login: 'alice@example.com', password: 'not alices password' }, { ip: '203.0.113.9', requestId: 'r2' })
    expect(unknown).toEqual({ ok: false, reason: 'unknown_user' })
    expect(wrong).toEqual({ ok: false, reason: 'bad_password' })
    const failed = audit.ofType('LOGIN_FAILED')
    expect(failed.map((e) => [e.reason, e.userId, e.requestId, e.ip])).toEqual([
      ['unknown_user', undefined, 'r1', '203.0.113.9'],
      ['bad_password', 'alice', 'r2', '203.0.113.9'],
    ])
    expect(JSON.stringify(audit.events)).not.toContain('mallory')
  })

  it('stops at the IP + account limit with Retry-After, audits `rate_limited`, and a success clears the counter', async () => {
    const { signIn, audit, clock } = await setup()
    const from = { ip: '203.0.113.9' }
    const wrong = { login: 'alice@example.com', password: 'not alices password' }
    for (let i = 0; i < 10; i++) expect((await signIn.signIn(wrong, from)).ok).toBe(false)
    const refused = await signIn.signIn({ login: 'alice@example.com', password }, from)
    expect(refused).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 900 })
    clock.advance(900_000)
    expect(await signIn.signIn({ login: 'alice@example.com', password }, from)).toMatchObject({ ok: true })
    // Cleared: ten more attempts before the block.
    for (let i = 0; i < 10; i++) expect(await signIn.signIn(wrong, from)).toEqual({ ok: false, reason: 'bad_password' })
    expect(audit.ofType('LOGIN_FAILED').map((e) => e.reason)).toContain('rate_limited')
  })
})
