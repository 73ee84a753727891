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
  /** When the user last authenticated, seconds since the epoch (RFC 9068 §2.2.1), when known. */
  auth_time?: number
  /** How the user authenticated (`'password'`, `'oidc'`, `'mfa'`, …; RFC 9068 §2.2.1), when known. */
  acr?: string
  /** RFC 8176 authentication method references (`pwd`, `otp`, `hwk`, `mfa`, …; RFC 9068 §2.2.1), when known. */
  amr?: string[]
}

/** What the caller decides for one token; the rest (`iss`, times, `jti`) the issuer fills in. */
export interface AccessTokenInput {
  sub: string
  sid: string
  roles: readonly string[]
  scope?: string
  /** `auth_time`: when the user proved who they are, seconds since the epoch. Kept across refreshes. */
  authTime?: number
  /** `acr`: how they proved it. Kept across refreshes. */
  acr?: string
  /** `amr`: the RFC 8176 methods they proved it with (at most 16 short strings). Kept across refreshes. */
  amr?: readonly string[]
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
