import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import type { KeyEncryption } from './key-encryption.js'
import type { PublicJwk, SigningAlgorithm, StoredSigningKey } from './signing-key.js'

const publicMembers = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const

/**
 * A new key pair for `alg`, its private half sealed. The kid is the RFC 7638 thumbprint of the
 * public key: unique, stable, and derivable by anyone holding the JWK.
 */
export async function generateSigningKey(
  alg: SigningAlgorithm,
  encryption: KeyEncryption,
  times: { createdAt: number; activatesAt: number },
): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwkFull = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwkFull)
  const publicJwk: PublicJwk = { kty: publicJwkFull.kty!, kid, alg, use: 'sig' }
  for (const member of publicMembers) {
    const value = publicJwkFull[member]
    if (typeof value === 'string') publicJwk[member] = value
  }
  const privateJwk = await exportJWK(privateKey)
  return {
    kid,
    alg,
    createdAt: times.createdAt,
    activatesAt: times.activatesAt,
    retiresAt: null,
    removesAt: null,
    publicJwk,
    sealedPrivateKey: await encryption.seal(kid, JSON.stringify(privateJwk)),
  }
}
