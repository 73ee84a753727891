import { createAuditEmitter } from '../audit/audit-emitter.js'
import { createStoreGuard } from '../lib/store-guard.js'
import { noopAuditSink } from '../audit/audit-event.js'
import { systemClock } from '../clock.js'
import { AuthError, isAuthError } from '../errors.js'
import { createAuthMetrics, type RefreshOutcome } from '../metrics/auth-metrics.js'
import { withStoreLock } from '../keys/lib/store-lock.js'
import { fingerprint, sha256, timingSafeEqual } from '../lib/crypto.js'
import type { RequestContext } from '../sessions/session-manager.js'
import type { AccessTokenInput } from '../tokens/access-token-claims.js'
import { resolveRefreshFamiliesConfig, type RefreshFamiliesOptions } from './refresh-families-config.js'
import { checkRoles } from '../sessions/session.js'
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
  /**
   * Logout from a refresh token alone: when its secret checks out, revokes its family and (with
   * `sessions`) ends the family's session, whatever state either was in. Returns whose token it
   * was, or `null` for an unknown, malformed or forged token (nothing changes then).
   */
  revokeToken(token: unknown, context?: RequestContext): Promise<RefreshTokenOwner | null>
  /**
   * Who holds this refresh token, without using it: `null` for an unknown, malformed or forged
   * token. `live` is whether it could still rotate (family active and unexpired, and the token
   * current or its immediate predecessor within the grace window). For logout-all and CSRF
   * binding from a refresh cookie alone.
   */
  inspect(token: unknown): Promise<(RefreshTokenOwner & { live: boolean }) | null>
  /**
   * A user's roles changed: every live family of theirs mints its next access tokens with `roles`.
   * Returns how many families were rewritten. Pair with `SessionManager.updateRoles`.
   */
  updateRoles(userId: string, roles: readonly string[], context?: RequestContext): Promise<number>
  /** Whether the families were created with `sessions` (each family lives only while its session does). */
  readonly bindsSessions: boolean
  /** Revokes one family by id. Returns whether it was live. */
  revokeFamily(familyId: string, context?: RequestContext): Promise<boolean>
  /** Revokes every family of a user (password reset, logout-all). Returns how many were live. */
  revokeAllForUser(userId: string, context?: RequestContext): Promise<number>
}

/** Whose refresh token it is: its family, user and session. */
export interface RefreshTokenOwner {
  familyId: string
  userId: string
  sessionId: string
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
  const { store, accessTokens, sessions } = config
  const clock = config.clock ?? systemClock
  const audit = config.audit ?? noopAuditSink
  const inflight = new Map<string, Promise<RefreshedTokens>>()

  const emit = createAuditEmitter(audit, clock)
  const metrics = config.metrics ?? createAuthMetrics()
  const guard = createStoreGuard('refresh store', { store: 'refresh', metrics })

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

  const rotateOnce = async (parts: RefreshTokenParts, token: string, context?: RequestContext): Promise<{ tokens: RefreshedTokens; replayed: boolean }> => {
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
      // A family lives only while its session does. Checked (and the session slid) only for a
      // token that can succeed: the current one, or the immediate predecessor (grace replay).
      const mayRotate = live || (found.family.status === 'active' && now < expiresAt(found.family) && found.token.successorId === found.family.currentTokenId)
      if (sessions && mayRotate) await requireLiveSession(found.family, context)
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
          return { tokens: next!.tokens, replayed: false }
        case 'replayed': {
          const replayed = await openSuccessor(parts.secret, parts.id, outcome.sealedSuccessor)
          if (!replayed) throw new AuthError('ERR_REFRESH_TOKEN_INVALID', 'the sealed successor cannot be opened')
          emit({ type: 'REFRESH_ROTATED', outcome: 'success', ...familyEvent(outcome.family), tokenFingerprint, data: { replayed: true } }, context)
          return { tokens: replayed, replayed: true }
        }
        case 'reused':
          emit({ type: 'REFRESH_TOKEN_REUSE', outcome: 'failure', ...familyEvent(outcome.family), tokenFingerprint, reason: outcome.reason }, context)
          if (outcome.revokedNow) {
            emit({ type: 'REFRESH_FAMILY_REVOKED', outcome: 'success', ...familyEvent(outcome.family), reason: 'reuse' }, context)
          }
          // Someone holds a stolen copy: the session the family belongs to ends too, at once, so the
          // device list and every other way in agree (not only at the next refresh).
          await sessions?.revoke(outcome.family.sessionId, { userId: outcome.family.userId, reason: 'reuse_detected' }, context)
          throw new AuthError('ERR_REFRESH_TOKEN_REUSED', 'refresh token reused: the family and its session are revoked')
        case 'expired':
          throw new AuthError('ERR_REFRESH_TOKEN_EXPIRED', 'the refresh token family has expired')
        case 'invalid':
          throw new AuthError('ERR_REFRESH_TOKEN_INVALID', 'unknown refresh token')
      }
    })
  }

  const requireLiveSession = async (family: RefreshFamilyRecord, context?: RequestContext) => {
    const session = await sessions!.touch(family.sessionId)
    if (session && session.userId === family.userId) return
    const ended = await guard('revoke', () => store.revokeFamily(family.id, clock.now(), 'session-ended'))
    if (ended) emit({ type: 'REFRESH_FAMILY_REVOKED', outcome: 'success', ...familyEvent(ended), reason: 'session-ended' }, context)
    throw new AuthError('ERR_REFRESH_SESSION_ENDED', 'the session of this refresh token has ended')
  }

  /** The token and its family when the token's secret checks out (constant time), else `null`. */
  const findVerified = async (token: unknown) => {
    const parts = parseRefreshToken(token)
    if (!parts) return null
    const found = await guard('find', () => store.find(parts.id))
    if (!found || !timingSafeEqual(found.token.secretHash, await sha256(parts.secret))) return null
    return found
  }

  const revoked = (families: RefreshFamilyRecord[], reason: string, context?: RequestContext) => {
    for (const family of families) emit({ type: 'REFRESH_FAMILY_REVOKED', outcome: 'success', ...familyEvent(family), reason }, context)
    metrics.revocation('refresh_family', families.length)
    return families.length
  }

  return Object.freeze({
    async issue(grant: AccessTokenInput) {
      if (typeof grant !== 'object' || grant === null) throw new TypeError('grant must be an object')
      const { sub, sid, roles, scope, aud, authTime, acr, amr } = grant
      if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new TypeError('grant.sub must be a non-empty string of at most 256 characters')
      if (typeof sid !== 'string' || sid.length === 0) throw new TypeError('grant.sid must be a non-empty string')
      const now = clock.now()
      const stored: RefreshGrant = {
        roles: [...roles],
        ...(scope === undefined ? {} : { scope }),
        ...(aud === undefined ? {} : { aud: typeof aud === 'string' ? aud : [...aud] }),
        ...(authTime === undefined ? {} : { authTime }),
        ...(acr === undefined ? {} : { acr }),
        ...(amr === undefined ? {} : { amr: [...amr] }),
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
        const started = performance.now()
        running = rotateOnce(parts, token as string, context)
          .then(
            ({ tokens, replayed }) => {
              metrics.refresh(replayed ? 'grace_replay' : 'rotated', performance.now() - started)
              return Object.freeze(tokens)
            },
            (error: unknown) => {
              metrics.refresh(refreshFailureOf(error), performance.now() - started)
              throw error
            },
          )
          .finally(() => inflight.delete(token as string))
        inflight.set(token as string, running)
      }
      return running
    },

    async revokeToken(token: unknown, context?: RequestContext) {
      const found = await findVerified(token)
      if (!found) return null
      const { family } = found
      const revokedNow = await guard('revoke', () => store.revokeFamily(family.id, clock.now(), 'logout'))
      revoked(revokedNow ? [revokedNow] : [], 'logout', context)
      await sessions?.revoke(family.sessionId, { userId: family.userId, reason: 'logout' }, context)
      return Object.freeze({ familyId: family.id, userId: family.userId, sessionId: family.sessionId })
    },
    async inspect(token: unknown) {
      const found = await findVerified(token)
      if (!found) return null
      const { token: record, family } = found
      const now = clock.now()
      const active = family.status === 'active' && now < expiresAt(family)
      const current = record.status === 'current' && family.currentTokenId === record.id
      const inGrace = record.successorId === family.currentTokenId && record.rotatedAt !== null && now - record.rotatedAt <= config.graceMs
      return Object.freeze({ familyId: family.id, userId: family.userId, sessionId: family.sessionId, live: active && (current || inGrace) })
    },
    async updateRoles(userId: string, roles: readonly string[], context?: RequestContext) {
      if (typeof userId !== 'string' || userId.length === 0) throw new TypeError('userId must be a non-empty string')
      const next = checkRoles(roles, 'roles')
      const updated = await guard('updateRoles', () => store.updateRolesForUser(userId, next, clock.now()))
      emit({ type: 'ROLES_UPDATED', outcome: 'success', userId, data: { refreshFamilies: updated } }, context)
      return updated
    },
    bindsSessions: sessions !== undefined,
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

/** The metric outcome of a refresh that failed. */
function refreshFailureOf(error: unknown): RefreshOutcome {
  if (!isAuthError(error)) return 'error'
  switch (error.code) {
    case 'ERR_REFRESH_TOKEN_REUSED':
      return 'reuse_detected'
    case 'ERR_REFRESH_TOKEN_EXPIRED':
      return 'expired'
    case 'ERR_REFRESH_SESSION_ENDED':
      return 'session_ended'
    case 'ERR_REFRESH_TOKEN_INVALID':
      return 'invalid'
    default:
      return 'error'
  }
}
