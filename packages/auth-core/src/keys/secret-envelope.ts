// Secrets at rest: AES-256-GCM under a key-encryption key derived (HKDF) from a secret the app
// provides. The envelope names its format and which secret sealed it,
// `v1.<secretId>.<iv>.<ciphertext>`, so the secret can rotate without a flag day: seal with the
// first secret, open with any listed one. One envelope for every kind of secret (private signing
// keys, TOTP secrets); `purpose` separates their keys, `aad` binds a box to its owner record.
import { AuthError } from '../errors.js'
import { sha256 } from '../lib/crypto.js'
import { utf8 } from '../lib/encoding.js'
import { deriveAesKey, openText, sealText } from './lib/sealed-box.js'

export const MIN_SECRET_LENGTH = 32

/** Seals and opens one kind of secret in the versioned envelope. */
export interface SecretEnvelope {
  /** Seals `plaintext` for the owner `aad` (a kid, a user id). */
  seal(aad: string, plaintext: string): Promise<string>
  /** Opens an envelope; throws `ERR_KEY_ENCRYPTION` when no configured secret opens it. */
  open(aad: string, envelope: string): Promise<string>
}

/** What is sealed, for key derivation and error messages. */
export interface EnvelopePurpose {
  /** HKDF salt and info: a new purpose gets new keys from the same secret. */
  salt: string
  info: string
  /** Names the sealed thing in errors ("private key", "TOTP secret of user"). */
  subject: string
}

/**
 * The `secret` option of every factory that seals (key ring, TOTP): one secret of at least
 * {@link MIN_SECRET_LENGTH} characters or a non-empty list of them (the first seals).
 */
export function resolveSecrets(value: unknown, path: string): readonly string[] {
  const secrets = typeof value === 'string' ? [value] : value
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new TypeError(`${path} is required: a key-encryption secret of at least ${MIN_SECRET_LENGTH} characters (or a non-empty list of them)`)
  }
  secrets.forEach((secret: unknown, index) => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new TypeError(`${typeof value === 'string' ? path : `${path}[${index}]`} must be a string of at least ${MIN_SECRET_LENGTH} characters`)
    }
  })
  return Object.freeze([...(secrets as string[])])
}

export function createSecretEnvelope(secrets: readonly string[], purpose: EnvelopePurpose): SecretEnvelope {
  // Derived lazily once: the factories using it are synchronous.
  const keys = Promise.all(
    secrets.map(async (secret) => ({
      // A label for the secret, not the secret: 8 characters of a domain-separated hash.
      id: (await sha256(`acme-auth/kek-id:${secret}`)).slice(0, 8),
      key: await deriveAesKey(utf8(secret), purpose.salt, purpose.info),
    })),
  )
  const { subject } = purpose

  return Object.freeze({
    async seal(aad: string, plaintext: string) {
      const [current] = await keys
      return `v1.${current!.id}.${await sealText(current!.key, plaintext, aad)}`
    },
    async open(aad: string, envelope: string) {
      const [version, secretId, ...rest] = envelope.split('.')
      if (version !== 'v1' || rest.length !== 2) {
        throw new AuthError('ERR_KEY_ENCRYPTION', `${subject} ${aad} has an unknown envelope format`)
      }
      const entry = (await keys).find((candidate) => candidate.id === secretId)
      if (!entry) {
        throw new AuthError(
          'ERR_KEY_ENCRYPTION',
          `${subject} ${aad} was sealed with key-encryption secret ${secretId}, which is not configured (wrong or missing options.secret?)`,
        )
      }
      const plaintext = await openText(entry.key, rest.join('.'), aad)
      if (plaintext === null) {
        throw new AuthError('ERR_KEY_ENCRYPTION', `${subject} ${aad} cannot be decrypted with secret ${secretId}: tampered or wrong secret`)
      }
      return plaintext
    },
  })
}
