/** One row of `GET /auth/sessions`: a device signed in to this account. Instants are ISO 8601. */
export interface DeviceSession {
  id: string
  createdAt: string
  lastSeenAt: string
  userAgent: string | null
  /** True for the session of this browser. */
  current: boolean
}

/** A remembered device of `GET /auth/mfa/devices` (times ISO 8601). */
export interface TrustedDevice {
  id: string
  /** A coarse name from the browser's user agent ("Firefox on Linux"). */
  label: string
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string
  /** True for this browser. */
  current: boolean
}

/** An RFC 9457 problem, the body of every error answer of an Acme Auth server. */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  code?: string
  /** Why a new password was refused (`too_short`, `too_long`, `breached`), on a 400 `…/password-policy`. */
  violations?: string[]
}

/** One row of `GET /auth/accounts`: a way to sign in to this account. Instants are ISO 8601. */
export interface LinkedAccount {
  /** `password`, or an OAuth provider's name as the server configured it (`google`, `github`, …). */
  provider: string
  /** When it was linked (for `password`: when the password was last set), or `null` when unknown. */
  linkedAt: string | null
}
