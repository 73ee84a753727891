import { encodeBase64Url, utf8 } from './encoding.js'

/** `byteLength` random bytes from the platform CSPRNG, base64url-encoded. */
export function randomToken(byteLength: number): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(byteLength)))
}

/** SHA-256 of a UTF-8 string, base64url-encoded. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(text))
  return encodeBase64Url(new Uint8Array(digest))
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they first
 * differ, so an attacker cannot learn a secret's hash one character at a time.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = utf8(a)
  const right = utf8(b)
  // Still walk the whole input when lengths differ; the length itself is not secret here
  // (hashes and CSRF tokens have fixed, public lengths).
  let diff = left.length ^ right.length
  for (let i = 0; i < left.length; i++) diff |= left[i]! ^ (right[i % Math.max(right.length, 1)] ?? 0)
  return diff === 0
}

/**
 * A short, non-reversible label for a secret, safe to log: the first 12 characters of its SHA-256.
 * Two log lines about the same token share a fingerprint; the token cannot be recovered from it.
 */
export async function fingerprint(secret: string): Promise<string> {
  return (await sha256(secret)).slice(0, 12)
}
