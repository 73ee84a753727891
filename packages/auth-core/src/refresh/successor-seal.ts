// The grace window replays a successor that the store must not be able to hand to anyone else.
// It is sealed with a key derived from the PRESENTED token's secret, which the store never holds
// (only its hash): a leaked store reveals no successor, and only the holder of the predecessor
// can open it.
import { utf8 } from '../lib/encoding.js'
import { deriveAesKey, openText, sealText } from '../keys/lib/sealed-box.js'

/** A token pair as every caller of one rotation receives it. */
export interface RefreshedTokens {
  familyId: string
  /** The access JWT (Bearer). */
  accessToken: string
  /** Access-token expiry, ms since the epoch. */
  accessTokenExpiresAt: number
  /** Access-token lifetime in seconds (`expires_in`). */
  expiresIn: number
  /** The new opaque refresh token; the presented one is now rotated. */
  refreshToken: string
  /** When the family expires if unused (idle) or at the latest (absolute), ms since the epoch. */
  refreshTokenExpiresAt: number
}

const keyFor = (secret: string) => deriveAesKey(utf8(secret), 'acme-auth/refresh', 'successor/v1')

export async function sealSuccessor(secret: string, tokenId: string, tokens: RefreshedTokens): Promise<string> {
  return `v1.${await sealText(await keyFor(secret), JSON.stringify(tokens), tokenId)}`
}

export async function openSuccessor(secret: string, tokenId: string, sealed: string): Promise<RefreshedTokens | null> {
  if (!sealed.startsWith('v1.')) return null
  const json = await openText(await keyFor(secret), sealed.slice(3), tokenId)
  return json === null ? null : (JSON.parse(json) as RefreshedTokens)
}
