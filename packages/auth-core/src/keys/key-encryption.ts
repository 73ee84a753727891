// Private signing keys at rest: AES-256-GCM under a key-encryption key derived (HKDF) from a
// secret the app provides. The envelope names its format and which secret sealed it,
// `v1.<secretId>.<iv>.<ciphertext>`, so the secret can rotate without a flag day: seal with the
// first secret, open with any listed one.
import { AuthError } from '../errors.js'
import { sha256 } from '../lib/crypto.js'
import { utf8 } from '../lib/encoding.js'
import { deriveAesKey, openText, sealText } from './lib/sealed-box.js'

export const MIN_SECRET_LENGTH = 32

export interface KeyEncryption {
  /** Seals a private JWK (JSON) for the key `kid`. */
  seal(kid: string, plaintext: string): Promise<string>
  /** Opens an envelope; throws `ERR_KEY_ENCRYPTION` when no configured secret opens it. */
  open(kid: string, envelope: string): Promise<string>
}

export function createKeyEncryption(secrets: readonly string[]): KeyEncryption {
  // Derived lazily once: the key ring factory is synchronous.
  const keys = Promise.all(
    secrets.map(async (secret) => ({
      // A label for the secret, not the secret: 8 characters of a domain-separated hash.
      id: (await sha256(`acme-auth/kek-id:${secret}`)).slice(0, 8),
      key: await deriveAesKey(utf8(secret), 'acme-auth/key-ring', 'private-jwk/v1'),
    })),
  )

  return Object.freeze({
    async seal(kid: string, plaintext: string) {
      const [current] = await keys
      return `v1.${current!.id}.${await sealText(current!.key, plaintext, kid)}`
    },
    async open(kid: string, envelope: string) {
      const [version, secretId, ...rest] = envelope.split('.')
      if (version !== 'v1' || rest.length !== 2) {
        throw new AuthError('ERR_KEY_ENCRYPTION', `private key ${kid} has an unknown envelope format`)
      }
      const entry = (await keys).find((candidate) => candidate.id === secretId)
      if (!entry) {
        throw new AuthError(
          'ERR_KEY_ENCRYPTION',
          `private key ${kid} was sealed with key-encryption secret ${secretId}, which is not configured (wrong or missing options.secret?)`,
        )
      }
      const plaintext = await openText(entry.key, rest.join('.'), kid)
      if (plaintext === null) {
        throw new AuthError('ERR_KEY_ENCRYPTION', `private key ${kid} cannot be decrypted with secret ${secretId}: tampered or wrong secret`)
      }
      return plaintext
    },
  })
}
