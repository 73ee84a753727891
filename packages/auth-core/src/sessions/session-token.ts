import { isBase64UrlOfBytes } from '../lib/encoding.js'

/** 256 bits of secret, base64url without padding. */
export const SESSION_SECRET_BYTES = 32
const secretLength = 43
const idPattern = /^[A-Za-z0-9_-]{16,64}$/

/** A parsed `<id>.<secret>` token. */
export interface SessionTokenParts {
  id: string
  secret: string
}

export function formatSessionToken(parts: SessionTokenParts): string {
  return `${parts.id}.${parts.secret}`
}

/**
 * Splits `<id>.<secret>`, or returns `null` for anything that is not exactly that shape: bounded
 * length, an id of base64url characters, and a secret that decodes to exactly 32 bytes.
 */
export function parseSessionToken(token: unknown): SessionTokenParts | null {
  if (typeof token !== 'string' || token.length > 64 + 1 + secretLength) return null
  const dot = token.indexOf('.')
  if (dot < 0) return null
  const id = token.slice(0, dot)
  const secret = token.slice(dot + 1)
  if (!idPattern.test(id) || secret.length !== secretLength) return null
  if (!isBase64UrlOfBytes(secret, SESSION_SECRET_BYTES)) return null
  return { id, secret }
}
