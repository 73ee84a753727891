import { createOneTimeTokens, timingSafeEqual, type Clock, type OneTimeTokenStore } from '@acme/auth-core'
import { setCookieOn } from '../http/cookie-write.js'
import type { Exchange } from '../http/exchange.js'
import { queryParam } from '../http/query-param.js'
import * as client from 'openid-client'
import { readCookie } from '../cookies/cookie-header.js'
import { OAuthError } from './oauth-error.js'
import type { SealedBox } from './sealed-box.js'

/** A sign-in in progress, as the sealed cookie carries it. Internal. */
export interface PendingTransaction {
  provider: string
  state: string
  /** OIDC providers only. */
  nonce: string | undefined
  codeVerifier: string
  returnTo: string
  expiresAt: number
  /** A one-time token: consuming it is what makes the transaction single-use. */
  ticket: string
}

/** What the authorization request needs from a new transaction. */
export interface StartedTransaction {
  state: string
  nonce: string | undefined
  codeChallenge: string
}

export interface Transactions {
  begin(ex: Exchange, provider: string, returnTo: string, withNonce: boolean): Promise<StartedTransaction>
  /** The transaction this callback belongs to, used up; throws an `OAuthError` for anything else. */
  complete(ex: Exchange, provider: string): Promise<PendingTransaction>
}

const ttlSeconds = 600
const purpose = 'oauth_tx'
const context = 'oauth-transaction'

/**
 * Pending sign-ins: PKCE verifier, `state`, `nonce` and `returnTo` travel in a sealed
 * (AES-256-GCM), HttpOnly, SameSite=Lax, 10-minute cookie, so only the browser that started the
 * sign-in can finish it. The cookie also holds a one-time token from core's store: consuming it
 * atomically (`consumeOne`) makes the transaction single-use even against a replayed cookie, and
 * across instances when the store is shared.
 */
export function createTransactions(box: SealedBox, store: OneTimeTokenStore, clock: Clock, secureCookies: boolean): Transactions {
  const tickets = createOneTimeTokens({ store, clock, ttlSeconds })
  const cookieName = secureCookies ? '__Host-oauth-tx' : 'oauth-tx'
  const cookieOptions = (maxAgeSeconds: number) => ({ httpOnly: true, secure: secureCookies, sameSite: 'Lax' as const, path: '/', maxAgeSeconds })

  return {
    async begin(ex, provider, returnTo, withNonce) {
      const codeVerifier = client.randomPKCECodeVerifier()
      const issued = await tickets.issue(provider, purpose)
      const tx: PendingTransaction = {
        provider,
        state: client.randomState(),
        nonce: withNonce ? client.randomNonce() : undefined,
        codeVerifier,
        returnTo,
        expiresAt: issued.expiresAt,
        ticket: issued.token,
      }
      setCookieOn(ex, cookieName, box.seal(JSON.stringify(tx), context), cookieOptions(ttlSeconds))
      return { state: tx.state, nonce: tx.nonce, codeChallenge: await client.calculatePKCECodeChallenge(codeVerifier) }
    },

    async complete(ex, provider) {
      const cookie = readCookie(ex.header('cookie'), cookieName)
      // Whatever happens next, this transaction is over for this browser.
      setCookieOn(ex, cookieName, '', cookieOptions(0))
      // OAuth's `state` is a CSRF token: named as one, so a `===` on it fails acme/no-secret-equality.
      const stateToken = queryParam(ex, 'state')
      if (cookie.kind === 'absent' || stateToken === undefined || stateToken === '') {
        throw new OAuthError('ERR_OAUTH_STATE_MISSING', 'no pending transaction or no state')
      }
      if (cookie.kind === 'duplicate') throw new OAuthError('ERR_OAUTH_STATE_INVALID', 'transaction cookie sent twice')
      const tx = parse(box.open(cookie.value, context))
      if (!tx) throw new OAuthError('ERR_OAUTH_STATE_INVALID', 'transaction cookie does not open')
      if (tx.provider !== provider) throw new OAuthError('ERR_OAUTH_STATE_INVALID', 'transaction of another provider')
      if (!timingSafeEqual(tx.state, stateToken)) throw new OAuthError('ERR_OAUTH_STATE_INVALID', 'state mismatch')
      if (clock.now() >= tx.expiresAt) throw new OAuthError('ERR_OAUTH_STATE_INVALID', 'transaction expired')
      if ((await tickets.consume(tx.ticket, purpose)) === null) throw new OAuthError('ERR_OAUTH_STATE_REPLAYED', 'transaction already used')
      return tx
    },
  }
}

function parse(text: string | null): PendingTransaction | null {
  if (text === null) return null
  try {
    const value = JSON.parse(text) as Partial<PendingTransaction>
    const strings = [value.provider, value.state, value.codeVerifier, value.returnTo, value.ticket]
    if (!strings.every((item) => typeof item === 'string') || typeof value.expiresAt !== 'number') return null
    return { ...(value as PendingTransaction), nonce: typeof value.nonce === 'string' ? value.nonce : undefined }
  } catch {
    return null
  }
}
