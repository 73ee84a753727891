// Refresh tokens are opaque `<id>.<secret>`. The id is `<familyId><random>` and a family id is
// `<userTag><random>`: a token names its family and its user's 8-character tag, so a store can
// keep one user's families in one place (one Redis Cluster hash slot) without any lookup.
import { randomToken, sha256 } from '../lib/crypto.js'

export const USER_TAG_LENGTH = 8
export const FAMILY_ID_LENGTH = USER_TAG_LENGTH + 22
export const TOKEN_ID_LENGTH = FAMILY_ID_LENGTH + 16
const SECRET_LENGTH = 43
const base64url = /^[A-Za-z0-9_-]+$/

/** The parts of a well-formed refresh token. */
export interface RefreshTokenParts {
  id: string
  familyId: string
  secret: string
}

/** A short, stable, non-reversible label of a user id. */
export async function userTag(userId: string): Promise<string> {
  return (await sha256(`acme-auth/refresh-user:${userId}`)).slice(0, USER_TAG_LENGTH)
}

export const newFamilyId = (tag: string): string => tag + randomToken(16)
export const newTokenId = (familyId: string): string => familyId + randomToken(12)
/** 256 bits from the CSPRNG. */
export const newTokenSecret = (): string => randomToken(32)
export const formatRefreshToken = (id: string, secret: string): string => `${id}.${secret}`

/** The token's parts, or `null` for anything that is not a well-formed refresh token. */
export function parseRefreshToken(token: unknown): RefreshTokenParts | null {
  if (typeof token !== 'string' || token.length !== TOKEN_ID_LENGTH + 1 + SECRET_LENGTH) return null
  const id = token.slice(0, TOKEN_ID_LENGTH)
  const secret = token.slice(TOKEN_ID_LENGTH + 1)
  if (token[TOKEN_ID_LENGTH] !== '.' || !base64url.test(id) || !base64url.test(secret)) return null
  return { id, familyId: id.slice(0, FAMILY_ID_LENGTH), secret }
}
