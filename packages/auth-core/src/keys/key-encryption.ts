// Private signing keys at rest, in the versioned envelope of secret-envelope.ts
// (`v1.<secretId>.<iv>.<ciphertext>`), so the secret can rotate without a flag day.
import { createSecretEnvelope, type SecretEnvelope } from './secret-envelope.js'

export { MIN_SECRET_LENGTH } from './secret-envelope.js'

export interface KeyEncryption {
  /** Seals a private JWK (JSON) for the key `kid`. */
  seal(kid: string, plaintext: string): Promise<string>
  /** Opens an envelope; throws `ERR_KEY_ENCRYPTION` when no configured secret opens it. */
  open(kid: string, envelope: string): Promise<string>
}

export function createKeyEncryption(secrets: readonly string[]): KeyEncryption & SecretEnvelope {
  return createSecretEnvelope(secrets, { salt: 'acme-auth/key-ring', info: 'private-jwk/v1', subject: 'private key' })
}
