import { SignJWT } from 'jose'
import { systemClock, type Clock } from '../clock.js'
import type { KeyRing } from '../keys/key-ring.js'
import { randomToken } from '../lib/crypto.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import type { AccessTokenClaims, AccessTokenInput, IssuedAccessToken } from './access-token-claims.js'
import { isAmr } from './lib/amr-claim.js'
import { requireNonEmptyString } from './lib/verify-policy.js'

/** The hard ceiling on an access token's lifetime: revocation lags by at most this much. */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 900

/** Options of {@link createAccessTokens}. */
export interface AccessTokensOptions {
  /** Signs with its active key. */
  keyRing: Pick<KeyRing, 'signingKey'>
  /** The `iss` claim: the app's origin, e.g. `https://app.example.com`. */
  issuer: string
  /** Default `aud` of tokens that name none. @default none: every `issue()` must pass `aud` */
  audience?: string | readonly string[]
  /** Lifetime of a token, at most 900 (15 min). @default 600 */
  lifetimeSeconds?: number
  /** @default systemClock */
  clock?: Clock
}

/** The access-token issuer; see {@link createAccessTokens}. */
export interface AccessTokens {
  /** The `iss` of every token. */
  readonly issuer: string
  /** The default `aud`, when one was configured. */
  readonly audience: string | readonly string[] | undefined
  readonly lifetimeSeconds: number
  /** Signs a short-lived access JWT (`typ: at+jwt`, `kid` of the active key). */
  issue(input: AccessTokenInput): Promise<IssuedAccessToken>
}

function audienceOf(value: unknown, path: string): string | string[] {
  if (typeof value === 'string') return requireNonEmptyString(value, path)
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(`${path} must be a non-empty string or list of strings`)
  return value.map((entry: unknown, index) => requireNonEmptyString(entry, `${path}[${index}]`))
}

/**
 * Creates the access-token issuer: short JWTs signed with the key ring's active key, claims
 * `iss`, `aud`, `sub`, `sid`, `iat`, `nbf`, `exp`, `jti`, `roles` and optional `scope`,
 * `auth_time`, `acr` and `amr` (RFC 8176 method references, e.g. `['pwd', 'otp', 'mfa']`).
 *
 * @example
 * ```ts
 * import { createAccessTokens, createKeyRing, MemoryKeyStore } from '@acme/auth-core'
 *
 * const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: process.env.KEY_SECRET! })
 * const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.example.com', audience: 'https://api.example.com' })
 * const { token, expiresIn } = await accessTokens.issue({ sub: 'user-1', sid: 'session-1', roles: ['member'] })
 * ```
 */
export function createAccessTokens(options: AccessTokensOptions): AccessTokens {
  const input = requireObject(options, 'options')
  const keyRing = requireMethods<Pick<KeyRing, 'signingKey'>>(input.keyRing, 'options.keyRing', ['signingKey'])
  const issuer = requireNonEmptyString(input.issuer, 'options.issuer')
  const audience = input.audience === undefined ? undefined : audienceOf(input.audience, 'options.audience')
  const lifetimeSeconds = optionalNumber(input.lifetimeSeconds, 'options.lifetimeSeconds', 600, {
    min: 1,
    max: MAX_ACCESS_TOKEN_LIFETIME_SECONDS,
    integer: true,
  })
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])

  return Object.freeze({
    issuer,
    audience,
    lifetimeSeconds,
    async issue(claimsInput: AccessTokenInput): Promise<IssuedAccessToken> {
      const claimInput = requireObject(claimsInput, 'input')
      const sub = requireNonEmptyString(claimInput.sub, 'input.sub')
      const sid = requireNonEmptyString(claimInput.sid, 'input.sid')
      if (!Array.isArray(claimInput.roles) || claimInput.roles.some((role) => typeof role !== 'string')) {
        throw new TypeError('input.roles must be a list of strings')
      }
      if (claimInput.scope !== undefined && typeof claimInput.scope !== 'string') throw new TypeError('input.scope must be a string')
      if (claimInput.authTime !== undefined && (typeof claimInput.authTime !== 'number' || !Number.isInteger(claimInput.authTime))) {
        throw new TypeError('input.authTime must be whole seconds since the epoch')
      }
      if (claimInput.acr !== undefined && typeof claimInput.acr !== 'string') throw new TypeError('input.acr must be a string')
      if (claimInput.amr !== undefined && !isAmr(claimInput.amr)) throw new TypeError('input.amr must be a list of at most 16 short strings')
      const aud = claimInput.aud === undefined ? audience : audienceOf(claimInput.aud, 'input.aud')
      if (aud === undefined) throw new TypeError('input.aud is required when options.audience is not set')

      const signing = await keyRing.signingKey()
      const iat = Math.floor(clock.now() / 1000)
      const claims: AccessTokenClaims = {
        iss: issuer,
        aud,
        sub,
        sid,
        iat,
        nbf: iat,
        exp: iat + lifetimeSeconds,
        jti: randomToken(16),
        roles: [...(claimInput.roles as string[])],
        ...(claimInput.scope === undefined ? {} : { scope: claimInput.scope }),
        ...(claimInput.authTime === undefined ? {} : { auth_time: claimInput.authTime }),
        ...(claimInput.acr === undefined ? {} : { acr: claimInput.acr }),
        ...(claimInput.amr === undefined ? {} : { amr: [...claimInput.amr] }),
      }
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'at+jwt' })
        .sign(signing.key)
      return Object.freeze({ token, expiresAt: claims.exp * 1000, expiresIn: lifetimeSeconds, claims: Object.freeze(claims) })
    },
  })
}
