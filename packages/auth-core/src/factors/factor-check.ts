/** Why a second-factor code was refused. Operators see it; clients get one answer (401, or 429 when rate limited). */
export type FactorFailureReason = 'invalid' | 'replayed' | 'not_enrolled' | 'rate_limited'

/** The answer of a code check. `retryAfterSeconds` comes with `rate_limited`, for `Retry-After`. */
export type FactorCheck = { ok: true } | { ok: false; reason: FactorFailureReason; retryAfterSeconds?: number }

/** The second factors a pending sign-in can be completed with. */
export type SecondFactorMethod = 'totp' | 'recovery' | 'passkey'
