// The rotation rules as one pure function. The memory store runs it as is; the Redis store's Lua
// script (redis-refresh-scripts.ts) is a line-by-line port, and both run the same tests.
import { timingSafeEqual } from '../lib/crypto.js'
import type { RefreshFamilyRecord, RefreshTokenRecord, RotateOutcome, RotateRequest } from './refresh-store.js'

export interface RotationDecision {
  outcome: RotateOutcome
  /** What to write, all or nothing. */
  writes?: { token?: RefreshTokenRecord; successor?: RefreshTokenRecord; family?: RefreshFamilyRecord }
}

export function decideRotation(
  token: RefreshTokenRecord | undefined,
  family: RefreshFamilyRecord | undefined,
  request: RotateRequest,
): RotationDecision {
  if (!token || !family || !timingSafeEqual(token.secretHash, request.secretHash)) return { outcome: { kind: 'invalid' } }
  const { now } = request
  if (family.status === 'revoked') {
    return { outcome: { kind: 'reused', family, reason: 'revoked', revokedNow: false } }
  }
  if (now >= family.absoluteExpiresAt || now >= family.idleExpiresAt) return { outcome: { kind: 'expired', family } }

  if (token.status === 'current' && family.currentTokenId === token.id) {
    if (!request.successor || request.sealedSuccessor === null) return { outcome: { kind: 'invalid' } }
    const updatedFamily: RefreshFamilyRecord = {
      ...family,
      currentTokenId: request.successor.id,
      lastUsedAt: now,
      idleExpiresAt: Math.min(request.idleExpiresAt, family.absoluteExpiresAt),
    }
    return {
      outcome: { kind: 'rotated', family: updatedFamily },
      writes: {
        token: { ...token, status: 'rotated', rotatedAt: now, successorId: request.successor.id, sealedSuccessor: request.sealedSuccessor },
        successor: request.successor,
        family: updatedFamily,
      },
    }
  }

  // Only the immediate predecessor of the current token, and only within the grace window (or
  // when the rotation happened after this request arrived: a race, not a replay), gets the
  // same successor back. Anything else is a stolen or replayed token.
  const rotatedAt = token.rotatedAt ?? Number.NEGATIVE_INFINITY
  const replayable =
    token.successorId === family.currentTokenId &&
    token.sealedSuccessor !== null &&
    ((request.graceMs > 0 && now - rotatedAt <= request.graceMs) || rotatedAt >= request.concurrentSince)
  if (replayable) return { outcome: { kind: 'replayed', family, sealedSuccessor: token.sealedSuccessor! } }

  const revoked: RefreshFamilyRecord = { ...family, status: 'revoked', revokedAt: now, revokedReason: 'reuse' }
  return { outcome: { kind: 'reused', family: revoked, reason: 'rotated', revokedNow: true }, writes: { family: revoked } }
}
