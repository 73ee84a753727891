import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

/** Seals and opens small strings with AES-256-GCM: confidential, tamper-evident, bound to a context. */
export interface SealedBox {
  /** `v1.<kid>.<iv>.<ciphertext+tag>` (base64url parts), sealed with the newest secret. */
  seal(plaintext: string, context: string): string
  /** The plaintext, or `null` for anything forged, tampered, sealed for another context or with an unknown key. */
  open(sealed: string, context: string): string | null
}

interface BoxKey {
  kid: string
  key: Buffer
}

const envelope = /^v1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/

/**
 * A versioned AES-256-GCM envelope under keys derived (HKDF-SHA256) from the app's secrets for one
 * `purpose`. The first secret seals; every secret opens, so a secret can rotate without breaking
 * what was sealed before. `context` is authenticated data: a sealed value only opens where it
 * was meant to (a provider-token record under its own session id, for instance).
 */
export function createSealedBox(secrets: readonly string[], purpose: string): SealedBox {
  const keys: BoxKey[] = secrets.map((secret) => {
    const key = Buffer.from(hkdfSync('sha256', secret, 'acme-auth', `acme-auth ${purpose} v1`, 32))
    return { kid: createHash('sha256').update(key).digest('base64url').slice(0, 8), key }
  })
  const sealing = keys[0]
  if (!sealing) throw new TypeError('sealed box: at least one secret is required')

  return {
    seal(plaintext, context) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', sealing.key, iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `v1.${sealing.kid}.${iv.toString('base64url')}.${body.toString('base64url')}`
    },
    open(sealed, context) {
      const match = envelope.exec(sealed)
      if (!match) return null
      const key = keys.find((candidate) => candidate.kid === match[1])
      if (!key) return null
      const body = Buffer.from(match[3]!, 'base64url')
      if (body.length < 16) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(match[2]!, 'base64url'))
        decipher.setAAD(Buffer.from(context))
        decipher.setAuthTag(body.subarray(body.length - 16))
        return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
