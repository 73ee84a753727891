import { createAuditEmitter } from '../audit/audit-emitter.js'
import { noopAuditSink, type AuditSink, type LoginFailureReason } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type { LoginLimiter } from '../rate-limit/login-limiter.js'
import type { RequestContext } from '../sessions/session-manager.js'
import type { PasswordAccount, PasswordVerifier } from './password-verifier.js'

/** How the sign-in finds users and stores upgraded hashes. */
export interface PasswordSignInUsers {
  /** The account for a login (email), or `null`. */
  find(login: string): Promise<PasswordAccount | null>
  /** Stores a rehashed password (parameters or algorithm changed). */
  saveHash(userId: string, passwordHash: string): Promise<void>
}

/** Options of {@link createPasswordSignIn}. */
export interface PasswordSignInOptions {
  users: PasswordSignInUsers
  verifier: PasswordVerifier
  /** @default none (no brute-force limits: only for tests) */
  limiter?: LoginLimiter
  /** @default noopAuditSink */
  audit?: AuditSink
  /** @default none */
  metrics?: AuthMetrics
  /** @default systemClock */
  clock?: Clock
}

/**
 * The answer of a sign-in. Clients must get the same answer for every failure reason (401, or 429
 * with `Retry-After` when `retryAfterSeconds` is set); `reason` is for logs and metrics.
 */
export type PasswordSignInResult =
  | { ok: true; userId: string; rehashed: boolean }
  | { ok: false; reason: LoginFailureReason; retryAfterSeconds?: number }

/** Password sign-in: limits, verification, transparent rehash, audit and metrics in one call. */
export interface PasswordSignIn {
  signIn(credentials: { login: string; password: string }, context?: RequestContext): Promise<PasswordSignInResult>
}

/**
 * The password sign-in path: brute-force limits first, then the password (against a dummy hash
 * for unknown users), a transparent rehash when the stored hash is outdated, a `LOGIN_SUCCEEDED` or
 * `LOGIN_FAILED` audit event (never the password, never the login for an unknown user), and
 * metrics. Creating the session is the caller's next step.
 *
 * @example
 * ```ts
 * const passwordSignIn = createPasswordSignIn({
 *   users: { find: (email) => db.findUser(email), saveHash: (id, hash) => db.setPasswordHash(id, hash) },
 *   verifier: createPasswordVerifier({ hasher: createPasswordHasher() }),
 *   limiter: createLoginLimiter({ store: 'memory' }),
 *   audit,
 * })
 * const result = await passwordSignIn.signIn({ login: email, password }, { ip: req.ip })
 * if (result.ok) await sessions.create(result.userId)
 * ```
 */
export function createPasswordSignIn(options: PasswordSignInOptions): PasswordSignIn {
  const input = requireObject(options, 'options')
  const users = requireMethods<PasswordSignInUsers>(input.users, 'options.users', ['find', 'saveHash'])
  const verifier = requireMethods<PasswordVerifier>(input.verifier, 'options.verifier', ['verify'])
  const limiter =
    input.limiter === undefined
      ? undefined
      : requireMethods<LoginLimiter>(input.limiter, 'options.limiter', ['attempt', 'recordSuccess'])
  const audit = input.audit === undefined ? noopAuditSink : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const authMetrics =
    input.metrics === undefined ? undefined : requireMethods<AuthMetrics>(input.metrics, 'options.metrics', ['signIn'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])

  const emit = createAuditEmitter(audit, clock)

  return Object.freeze({
    async signIn(credentials: { login: string; password: string }, context?: RequestContext): Promise<PasswordSignInResult> {
      const started = performance.now()
      const { login, password } = requireObject(credentials, 'credentials') as { login: unknown; password: unknown }
      if (typeof login !== 'string') throw new TypeError('credentials.login must be a string')
      const finish = (result: PasswordSignInResult, userId?: string): PasswordSignInResult => {
        authMetrics?.signIn(result.ok ? 'success' : result.reason, performance.now() - started)
        if (result.ok) {
          emit({ type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: result.userId, data: { rehashed: result.rehashed } }, context)
        } else {
          emit({ type: 'LOGIN_FAILED', outcome: 'failure', reason: result.reason, ...(userId === undefined ? {} : { userId }) }, context)
        }
        return result
      }

      const key = { account: login, ...(context?.ip === undefined ? {} : { ip: context.ip }) }
      if (limiter) {
        const decision = await limiter.attempt(key)
        if (!decision.allowed) {
          authMetrics?.rateLimitRejection(decision.limit)
          return finish({ ok: false, reason: decision.reason, retryAfterSeconds: decision.retryAfterSeconds })
        }
      }
      const account = await users.find(login)
      const verified = await verifier.verify(account, password)
      if (!verified.valid) return finish({ ok: false, reason: verified.reason }, account?.id)

      let rehashed = false
      if (verified.newHash !== null) {
        try {
          await users.saveHash(verified.userId, verified.newHash)
          rehashed = true
        } catch {
          // The old hash still works; the next sign-in tries again. Failing the sign-in would not help.
        }
      }
      if (limiter) await limiter.recordSuccess(key)
      return finish({ ok: true, userId: verified.userId, rehashed })
    },
  })
}
