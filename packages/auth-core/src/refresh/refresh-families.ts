import { createAuditEmitter } from '../audit/audit-emitter.js'
import { createStoreGuard } from '../lib/store-guard.js'
import { noopAuditSink } from '../audit/audit-event.js'
import { systemClock } from '../clock.js'
import { AuthError } from '../errors.js'
import { withStoreLock } from '../keys/lib/store-lock.js'
import { fingerprint, sha256, timingSafeEqual } from '../lib/crypto.js'
import type { RequestContext } from '../sessions/session-manager.js'
import type { AccessTokenInput } from '../tokens/access-token-claims.js'
import { resolveRefreshFamiliesConfig, type RefreshFamiliesOptions } from './refresh-families-config.js'
import type { RefreshFamilyRecord, RefreshGrant, RefreshTokenRecord } from './refresh-store.js'
import {
  formatRefreshToken,
  newFamilyId,
  newTokenId,
  newTokenSecret,
  parseRefreshToken,
  userTag,
  type RefreshTokenParts,
} from './refresh-token.js'
import { openSuccessor, sealSuccessor, type RefreshedTokens } from './successor-seal.js'

export type { RefreshFamiliesOptions } from './refresh-families-config.js'

/** Refresh-token families; see {@link createRefreshFamilies}. */
export interface RefreshFamilies {
  /** Starts a family (one per session or grant): its first refresh token and an access token. */
  issue(grant: AccessTokenInput): Promise<RefreshedTokens>
  /**
   * Trades a refresh token for a new pair; the presented token is rotated. Throws
   * `ERR_REFRESH_TOKEN_INVALID` (unknown, malformed, wrong secret), `ERR_REFRESH_TOKEN_EXPIRED`,
   * or `ERR_REFRESH_TOKEN_REUSED` (the whole family is revoked), or `ERR_STORE_UNAVAILABLE`.
   */
  rotate(token: unknown, context?: RequestContext): Promise<RefreshedTokens>
  /** Revokes the family of a token whose secret checks out (logout). Returns whether it was live. */
  revokeToken(token: unknown, context?: RequestContext): Promise<boolean>
  /** Revokes one family by id. Returns whether it was live. */
  revokeFamily(familyId: string, context?: RequestContext): Promise<boolean>
  /** Revokes every family of a user (password reset, logout-all). Returns how many were live. */
  revokeAllForUser(userId: string, context?: RequestContext): Promise<number>
}

const LOCK_TTL_MS = 5_000

/**
 * Creates refresh-token families: opaque rotating tokens stored hashed, an atomic compare-and-set
 * per rotation, reuse detection that revokes the family, a grace window that replays the same
 * successor, and single-flight rotation (in process, and across instances with a store lock).
 *
 * @example
 * ```ts
 * import { createRefreshFamilies, MemoryRefreshStore } from '@acme/auth-core'
 *
 * const families = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens })
 * const first = await families.issue({ sub: 'user-1', sid: 'session-1', roles: ['member'] })
 * const next = await families.rotate(first.refreshToken) // first.refreshToken is now spent
 * ```
 */
export function createRefreshFamilies(options: RefreshFamiliesOptions): RefreshFamilies {
  const config = resolveRefreshFamiliesConfig(options)
  const { store, accessTokens } = config
  const clock = config.clock ?? systemClock
  const audit = config.audit ?? noopAuditSink
  const inflight = new Map<string, Promise<RefreshedTokens>>()

  const emit = createAuditEmitter(audit, clock)
  const guard = createStoreGuard('refresh store')

  const familyEvent = (family: RefreshFamilyRecord) => ({ familyId: family.id, userId: family.userId, sessionId: family.sessionId })
  const expiresAt = (family: RefreshFamilyRecord) => Math.min(family.idleExpiresAt, family.absoluteExpiresAt)

  /** A new token record and the pair a client receives with it. */
  const mint = async (family: RefreshFamilyRecord, now: number) => {
    const id = newTokenId(family.id)
    const secret = newTokenSecret()
    const access = await accessTokens.issue({ sub: family.userId, sid: family.sessionId, ...family.grant })
    const record: RefreshTokenRecord = {
      id, familyId: family.id, secretHash: await sha256(secret), status: 'current',
      createdAt: now, rotatedAt: null, successorId: null, sealedSuccessor: null,
    }
    const tokens: RefreshedTokens = {
      familyId: family.id,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      expiresIn: access.expiresIn,
      refreshToken: formatRefreshToken(id, secret),
      refreshTokenExpiresAt: expiresAt(family),
    }
    return { record, tokens }
  }

  const rotateOnce = async (parts: RefreshTokenParts, token: string, context?: RequestContext): Promise<RefreshedTokens> => {
    const concurrentSince = clock.now()
    const secretHash = await sha256(parts.secret)
    return withStoreLock(store, parts.id, LOCK_TTL_MS, 'wait', async () => {
      const found = await guard('find', () => store.find(parts.id))
      if (!found || !timingSafeEqual(found.token.secretHash, secretHash)) {
        throw new AuthError('ERR_REFRESH_TOKEN_INVALID', 'unknown refresh token')
      }
      const now = clock.now()
      const idleExpiresAt = Math.min(now + config.idleMs, found.family.absoluteExpiresAt)
      const live = found.token.status === 'current' && found.family.status === 'active' && now < expiresAt(found.family)
      // The successor is prepared before the compare-and-set, so a crash leaves either nothing
      // or one complete rotation; a lost race just discards it.
      const next = live ? await mint({ ...found.family, idleExpiresAt }, now) : undefined
      const outcome = await guard('rotate', async () =>
        store.rotate({
          tokenId: parts.id, secretHash, now, graceMs: config.graceMs, concurrentSince, idleExpiresAt,
          successor: next?.record ?? null,
          sealedSuccessor: next ? await sealSuccessor(parts.secret, parts.id, next.tokens) : null,
        }),
      )
      const tokenFingerprint = await fingerprint(token)
      switch (outcome.kind) {
        case 'rotated':
          emit({ type: 'REFRESH_ROTATED', outcome: 'success', ...familyEvent(outcome.family), tokenFingerprint }, context)
          return next!.tokens
        case 'replayed': {
          const replayed = await openSuccessor(parts.secret, parts.id, outcome.sealedSuccessor)
          if (!replayed) throw new AuthError('ERR_REFRESH_TOKEN_INVALID', 'the sealed successor cannot be opened')
          emit({ type: 'REFRESH_ROTATED', outcome: 'success', ...familyEvent(outcome.family), tokenFingerprint, data: { replayed: true } }, context)
          return replayed
        }
        case 'reused':
          emit({ type: 'REFRESH_TOKEN_REUSE', outcome: 'failure', ...familyEvent(outcome.family), tokenFingerprint, reason: outcome.reason }, context)
          if (outcome.revokedNow) {
            emit({ type: 'REFRESH_FAMILY_REVOKED', outcome: 'success', ...familyEvent(outcome.family), reason: 'reuse' }, context)
          }
          throw new AuthError('ERR_REFRESH_TOKEN_REUSED', 'refresh token reused: the family is revoked')
        case 'expired':
          throw new AuthError('ERR_REFRESH_TOKEN_EXPIRED', 'the refresh token family has expired')
        case 'invalid':
          throw new AuthError('ERR_REFRESH_TOKEN_INVALID', 'unknown refresh token')
      }
    })
  }

  const revoked = (families: RefreshFamilyRecord[], reason: string, context?: RequestContext) => {
    for (const family of families) emit({ type: 'REFRESH_FAMILY_REVOKED', outcome: 'success', ...familyEvent(family), reason }, context)
    return families.length
  }

  return Object.freeze({
    async issue(grant: AccessTokenInput) {
      if (typeof grant !== 'object' || grant === null) throw new TypeError('grant must be an object')
      const { sub, sid, roles, scope, aud, authTime, acr } = grant
      if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new TypeError('grant.sub must be a non-empty string of at most 256 characters')
      if (typeof sid !== 'string' || sid.length === 0) throw new TypeError('grant.sid must be a non-empty string')
      const now = clock.now()
      const stored: RefreshGrant = {
        roles: [...roles],
        ...(scope === undefined ? {} : { scope }),
        ...(aud === undefined ? {} : { aud: typeof aud === 'string' ? aud : [...aud] }),
        ...(authTime === undefined ? {} : { authTime }),
        ...(acr === undefined ? {} : { acr }),
      }
      const family: RefreshFamilyRecord = {
        id: newFamilyId(await userTag(sub)), userId: sub, sessionId: sid, grant: stored, status: 'active',
        createdAt: now, lastUsedAt: now, idleExpiresAt: Math.min(now + config.idleMs, now + config.absoluteMs),
        absoluteExpiresAt: now + config.absoluteMs, currentTokenId: '', revokedAt: null, revokedReason: null,
      }
      const { record, tokens } = await mint(family, now)
      await guard('create', () => store.create({ ...family, currentTokenId: record.id }, record))
      return Object.freeze(tokens)
    },

    rotate(token: unknown, context?: RequestContext) {
      const parts = parseRefreshToken(token)
      if (!parts) return Promise.reject(new AuthError('ERR_REFRESH_TOKEN_INVALID', 'malformed refresh token'))
      // Keyed by the whole token, not its id: a forged secret must not join a genuine rotation.
      let running = inflight.get(token as string)
      if (!running) {
        running = rotateOnce(parts, token as string, context)
          .then((tokens) => Object.freeze(tokens))
          .finally(() => inflight.delete(token as string))
        inflight.set(token as string, running)
      }
      return running
    },

    async revokeToken(token: unknown, context?: RequestContext) {
      const parts = parseRefreshToken(token)
      if (!parts) return false
      const found = await guard('find', () => store.find(parts.id))
      if (!found || !timingSafeEqual(found.token.secretHash, await sha256(parts.secret))) return false
      const family = await guard('revoke', () => store.revokeFamily(parts.familyId, clock.now(), 'logout'))
      return revoked(family ? [family] : [], 'logout', context) > 0
    },

    async revokeFamily(familyId: string, context?: RequestContext) {
      if (typeof familyId !== 'string' || familyId.length === 0) throw new TypeError('familyId must be a non-empty string')
      const family = await guard('revoke', () => store.revokeFamily(familyId, clock.now(), 'revoked'))
      return revoked(family ? [family] : [], 'revoked', context) > 0
    },

    async revokeAllForUser(userId: string, context?: RequestContext) {
      if (typeof userId !== 'string' || userId.length === 0) throw new TypeError('userId must be a non-empty string')
      const families = await guard('revokeAll', () => store.revokeAllForUser(userId, clock.now(), 'user'))
      return revoked(families, 'user', context)
    },
  })
}
