// An app with the account routes: a memory directory, the development outbox, links to the app's pages.
import { createOutboxMailer, createSessionManager, MemoryOneTimeTokenStore, MemorySessionStore, type Clock, type Mailer, type OutboxMessage, type PasswordPolicy } from '@acme/auth-core'
import { createRecordingAuditSink, trackSecrets } from '@acme/auth-testing'
import express from 'express'
import { vi } from 'vitest'
import {
  createAuth,
  createMemoryUserDirectory,
  problemErrorHandler,
  requireAuth,
  type AuthLimitsOptions,
  type AuthAccountsOptions,
  type AuthSecondFactorOptions,
  type MemoryUserDirectory,
  type UserDirectory,
} from '../src/index.js'
import { createTestTokens, origin, secret, testHasher } from './fixtures.js'

/** Alice (admin, `alice-password`) and Bob (member, `bob-password`), verified, as every directory is seeded. */
export interface SeedAccount {
  id: string
  email: string
  name: string
  roles: string[]
  passwordHash: string
}

export interface AccountsAppOptions<U extends UserDirectory = MemoryUserDirectory> {
  /** Another directory than the memory one, seeded with `seed` (Alice and Bob) by the factory. */
  users?: (seed: readonly SeedAccount[]) => Promise<U>
  strategy?: 'session' | 'token'
  verification?: 'required' | 'off'
  /** `http.limits`; off unless given, so that tests of other rows are not limited. */
  limits?: AuthLimitsOptions
  /** Time for sessions, tokens, one-time tokens and limits. */
  clock?: Clock
  mailer?: Mailer
  passwordPolicy?: PasswordPolicy
  accounts?: Partial<AuthAccountsOptions>
  /** `secondFactors`, on the app's clock. @default none */
  secondFactors?: AuthSecondFactorOptions
}

export const verifyLink = (token: string) => `${origin}/verify-email?token=${encodeURIComponent(token)}`
export const resetLink = (token: string) => `${origin}/reset-password?token=${encodeURIComponent(token)}`

/** The token in a mailed link. */
export const tokenOf = (message: OutboxMessage | undefined) => {
  const link = message?.links[0]
  if (!link) throw new Error('no link in the message')
  return new URL(link).searchParams.get('token')!
}

/** Lets the work a request left off its path (lookups, tokens, mail) finish. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 40))

export async function createAccountsApp<U extends UserDirectory = MemoryUserDirectory>(options: AccountsAppOptions<U> = {}) {
  const clock = options.clock
  const passwords = testHasher()
  trackSecrets('alice-password', 'bob-password')
  const seed: SeedAccount[] = [
    { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], passwordHash: await passwords.hash('alice-password') },
    { id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'], passwordHash: await passwords.hash('bob-password') },
  ]
  const memory = () => {
    const directory = createMemoryUserDirectory(clock ? { now: () => clock.now() } : {})
    for (const account of seed) directory.add(account)
    return directory as unknown as U // the default type argument
  }
  const users: U = options.users ? await options.users(seed) : memory()
  const outbox = createOutboxMailer()
  const sessions = createSessionManager({ store: new MemorySessionStore(), ...(clock ? { clock } : {}) })
  const tokens = options.strategy === 'token' ? await createTestTokens(clock, false, sessions) : undefined
  const oneTimeTokens = new MemoryOneTimeTokenStore()
  const audit = createRecordingAuditSink()
  const auth = createAuth({
    sessions,
    passwords,
    users,
    http: { origin, secret, limits: options.limits ?? false },
    ...(options.strategy ? { strategy: options.strategy } : {}),
    ...(tokens ? { tokens } : {}),
    audit,
    ...(options.secondFactors ? { secondFactors: { ...(clock ? { clock } : {}), ...options.secondFactors } } : {}),
    accounts: {
      mailer: options.mailer ?? outbox,
      links: { verify: verifyLink, reset: resetLink },
      ...(options.verification ? { verification: options.verification } : {}),
      tokens: { store: oneTimeTokens, ...(clock ? { clock } : {}) },
      ...(options.passwordPolicy ? { passwordPolicy: options.passwordPolicy } : {}),
      ...options.accounts,
    },
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.get('/api/me', requireAuth(), (req, res) => {
    res.json(req.auth)
  })
  app.use(problemErrorHandler())

  /** The newest mail to `to`, once it has been sent. */
  const mailTo = (to: string, subject?: RegExp) =>
    vi.waitFor(
      () => {
        const found = outbox.messages().find((message) => message.to === to && (subject === undefined || subject.test(message.subject)))
        if (!found) throw new Error(`no mail to ${to}`)
        return found
      },
      { timeout: 2000, interval: 5 },
    )
  return { app, auth, users, outbox, sessions, tokens, oneTimeTokens, audit, passwords, mailTo }
}
