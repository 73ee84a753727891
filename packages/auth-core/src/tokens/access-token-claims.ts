/** The claims of an access token (RFC 9068 profile, plus coarse `roles` and the session id `sid`). */
export interface AccessTokenClaims {
  iss: string
  aud: string | string[]
  sub: string
  /** Session (or refresh family) the token belongs to. */
  sid: string
  /** Seconds since the epoch. */
  iat: number
  nbf: number
  exp: number
  jti: string
  /** Coarse roles; never personal data. */
  roles: string[]
  /** Space-separated scopes (RFC 8693 §4.2), when given. */
  scope?: string
}

/** What the caller decides for one token; the rest (`iss`, times, `jti`) the issuer fills in. */
export interface AccessTokenInput {
  sub: string
  sid: string
  roles: readonly string[]
  scope?: string
  /** Overrides the issuer's default audience for this token. */
  aud?: string | readonly string[]
}

/** An issued access token and what a response needs about it. */
export interface IssuedAccessToken {
  /** The compact JWS, for `Authorization: Bearer`. */
  token: string
  /** Expiry in ms since the epoch. */
  expiresAt: number
  /** Lifetime in seconds (`expires_in`). */
  expiresIn: number
  claims: AccessTokenClaims
}
