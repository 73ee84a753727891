import type { RefreshFamilyRecord, RefreshGrant, RefreshTokenRecord } from '../refresh/refresh-store.js'

// Hash fields as strings; `null` is stored as '' (every nullable field is otherwise non-empty).
const orEmpty = (value: string | number | null) => (value === null ? '' : String(value))
const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value)
const numberOrNull = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value))

export function familyFields(family: RefreshFamilyRecord): string[] {
  return [
    'id', family.id, 'userId', family.userId, 'sessionId', family.sessionId, 'grant', JSON.stringify(family.grant),
    'status', family.status, 'createdAt', String(family.createdAt), 'lastUsedAt', String(family.lastUsedAt),
    'idleExpiresAt', String(family.idleExpiresAt), 'absoluteExpiresAt', String(family.absoluteExpiresAt),
    'currentTokenId', family.currentTokenId, 'revokedAt', orEmpty(family.revokedAt), 'revokedReason', orEmpty(family.revokedReason),
  ]
}

export function tokenFields(token: RefreshTokenRecord): string[] {
  return [
    'familyId', token.familyId, 'secretHash', token.secretHash, 'status', token.status, 'createdAt', String(token.createdAt),
    'rotatedAt', orEmpty(token.rotatedAt), 'successorId', orEmpty(token.successorId), 'sealedSuccessor', orEmpty(token.sealedSuccessor),
  ]
}

export function toObject(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
  return fields
}

export function decodeFamily(fields: Record<string, string>): RefreshFamilyRecord | null {
  if (fields.id === undefined || fields.userId === undefined || fields.currentTokenId === undefined) return null
  return {
    id: fields.id,
    userId: fields.userId,
    sessionId: fields.sessionId ?? '',
    grant: decodeGrant(fields),
    status: fields.status === 'revoked' ? 'revoked' : 'active',
    createdAt: Number(fields.createdAt),
    lastUsedAt: Number(fields.lastUsedAt),
    idleExpiresAt: Number(fields.idleExpiresAt),
    absoluteExpiresAt: Number(fields.absoluteExpiresAt),
    currentTokenId: fields.currentTokenId,
    revokedAt: numberOrNull(fields.revokedAt),
    revokedReason: orNull(fields.revokedReason),
  }
}

export function decodeToken(id: string, fields: Record<string, string>): RefreshTokenRecord | null {
  if (fields.familyId === undefined || fields.secretHash === undefined) return null
  return {
    id,
    familyId: fields.familyId,
    secretHash: fields.secretHash,
    status: fields.status === 'rotated' ? 'rotated' : 'current',
    createdAt: Number(fields.createdAt),
    rotatedAt: numberOrNull(fields.rotatedAt),
    successorId: orNull(fields.successorId),
    sealedSuccessor: orNull(fields.sealedSuccessor),
  }
}

/** The stored grant; a `roles` field (written by a role update) overrides the grant's roles. */
function decodeGrant(fields: Record<string, string>): RefreshGrant {
  const grant = JSON.parse(fields.grant ?? '{"roles":[]}') as RefreshGrant
  return fields.roles === undefined ? grant : { ...grant, roles: JSON.parse(fields.roles) as string[] }
}
