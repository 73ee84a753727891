import type { AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { sha256 } from '../lib/crypto.js'
import { requireMethods, requireObject } from '../lib/options.js'
import { checkUserId } from '../lib/check-user-id.js'
import { guardStore } from '../lib/store-guard.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type { RequestContext } from '../sessions/session-manager.js'
import type { FactorCheck } from './factor-check.js'
import { createFactorLimiter, type FactorLimiter } from './factor-limiter.js'
import { createFactorEvents } from './lib/factor-events.js'
import type { SecondFactorStore } from './second-factor-store.js'

/** How many codes a user gets at a time. */
export const RECOVERY_CODE_COUNT = 10

/** Options of {@link createRecoveryCodes}. */
export interface RecoveryCodesOptions {
  store: SecondFactorStore
  /** @default systemClock */
  clock?: Clock
  /** Wrong codes per user: pass the one `createTotp` has, so guesses of either kind share a budget. @default createFactorLimiter() */
  limiter?: FactorLimiter
  /** @default noopAuditSink */
  audit?: AuditSink
  /** @default createAuthMetrics() (the global meter provider) */
  metrics?: AuthMetrics
}

/** Single-use recovery codes: the way back in when the authenticator is lost. */
export interface RecoveryCodes {
  /** Ten new codes, replacing any old ones. Show them once: only their hashes are kept. */
  generate(userId: string, context?: RequestContext): Promise<string[]>
  /** Uses a code up: `{ ok: true }` once per code (atomic, also across instances), limited per user. */
  consume(userId: string, code: unknown, context?: RequestContext): Promise<FactorCheck>
  /** How many unused codes the user has. */
  remaining(userId: string): Promise<number>
}

// RFC 4648 Base32 in lower case: 16 characters are 80 random bits, so the SHA-256 kept at rest
// cannot be searched back to a code (as for session tokens, no slow hash is needed).
const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
const CODE_LENGTH = 16
const codePattern = /^[a-z2-7]{16}$/

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH))
  // 256 is a multiple of 32: masking keeps every character equally likely.
  const chars = [...bytes].map((byte) => alphabet[byte & 31]!).join('')
  return chars.match(/.{4}/g)!.join('-')
}

/** The hash a code is kept as, bound to its user (a code of one user is nothing for another). */
const hashOf = (userId: string, normalized: string) => sha256(`acme-auth/recovery-code:${userId}:${normalized}`)

/**
 * Recovery codes: ten at a time (`xxxx-xxxx-xxxx-xxxx`, 80 bits each), shown once, kept as
 * SHA-256, each usable once through the store's atomic consume (of any number of concurrent
 * requests with one code exactly one succeeds), regenerable. Using one raises
 * `RECOVERY_CODE_USED` (mail the user from your audit sink or route). Wrong codes are limited per user.
 *
 * @example
 * ```ts
 * import { createRecoveryCodes, MemorySecondFactorStore } from '@acme/auth-core'
 *
 * const recoveryCodes = createRecoveryCodes({ store: new MemorySecondFactorStore() })
 * const codes = await recoveryCodes.generate('user-1') // show once
 * await recoveryCodes.consume('user-1', codes[0]) // { ok: true }
 * await recoveryCodes.consume('user-1', codes[0]) // { ok: false, reason: 'invalid' }
 * ```
 */
export function createRecoveryCodes(options: RecoveryCodesOptions): RecoveryCodes {
  const input = requireObject(options, 'options')
  const methods = ['replaceRecoveryCodes', 'consumeRecoveryCode', 'countRecoveryCodes']
  const store = guardStore(requireMethods<SecondFactorStore>(input.store, 'options.store', methods), 'second-factor store')
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const limiter = input.limiter === undefined ? createFactorLimiter({ clock }) : requireMethods<FactorLimiter>(input.limiter, 'options.limiter', ['attempt', 'recordSuccess'])
  const events = createFactorEvents(input, clock)

  return Object.freeze({
    async generate(userId: string, context?: RequestContext) {
      checkUserId(userId)
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode)
      const hashes = await Promise.all(codes.map((code) => hashOf(userId, code.replaceAll('-', ''))))
      await store.replaceRecoveryCodes(userId, hashes, clock.now())
      events.emit({ type: 'RECOVERY_CODES_GENERATED', outcome: 'success', userId, data: { count: codes.length } }, context)
      return codes
    },

    async consume(userId: string, code: unknown, context?: RequestContext): Promise<FactorCheck> {
      checkUserId(userId)
      const decision = await limiter.attempt(userId)
      if (!decision.allowed) {
        return events.checked('recovery', userId, { ok: false, reason: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds }, context)
      }
      const normalized = typeof code === 'string' ? code.toLowerCase().replaceAll(/[\s-]/g, '') : ''
      const used = codePattern.test(normalized) && (await store.consumeRecoveryCode(userId, await hashOf(userId, normalized)))
      if (!used) return events.checked('recovery', userId, { ok: false, reason: 'invalid' }, context)
      await limiter.recordSuccess(userId)
      const remaining = await store.countRecoveryCodes(userId)
      events.emit({ type: 'RECOVERY_CODE_USED', outcome: 'success', userId, data: { remaining } }, context)
      return events.checked('recovery', userId, { ok: true }, context)
    },

    async remaining(userId: string) {
      checkUserId(userId)
      return store.countRecoveryCodes(userId)
    },
  })
}
