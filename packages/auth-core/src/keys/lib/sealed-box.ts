// AES-256-GCM on Web Crypto with keys derived by HKDF-SHA-256: the one primitive behind private
// keys at rest (key ring) and sealed refresh-token successors. A fresh 96-bit IV per message;
// `aad` binds a ciphertext to its owner (a kid, a token id) so it cannot be moved to another record.
import type { CryptoKey } from 'jose'
import { decodeBase64Url, encodeBase64Url, utf8 } from '../../lib/encoding.js'

export async function deriveAesKey(secret: Uint8Array<ArrayBuffer>, salt: string, info: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(salt), info: utf8(info) },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

/** `<iv>.<ciphertext>` in base64url. */
export async function sealText(key: CryptoKey, plaintext: string, aad: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(aad) },
    key,
    utf8(plaintext),
  )
  return `${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(ciphertext))}`
}

/** The plaintext, or `null` when the box is malformed or was sealed with another key or `aad`. */
export async function openText(key: CryptoKey, sealed: string, aad: string): Promise<string | null> {
  const [ivText, ciphertextText, extra] = sealed.split('.')
  if (ivText === undefined || ciphertextText === undefined || extra !== undefined) return null
  const iv = decodeBase64Url(ivText)
  const ciphertext = decodeBase64Url(ciphertextText)
  if (!iv || iv.length !== 12 || !ciphertext) return null
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: iv, additionalData: utf8(aad) },
      key,
      ciphertext,
    )
    return new TextDecoder().decode(plaintext)
  } catch {
    return null
  }
}
