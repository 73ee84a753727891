/** A JSON value: what the session's `data` bag may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** The app's small typed bag on a session (kept under {@link MAX_SESSION_DATA_BYTES} as JSON). */
export type SessionData = Record<string, JsonValue>

/** Largest `data` bag accepted, as JSON bytes: sessions are read on every request. */
export const MAX_SESSION_DATA_BYTES = 4096

/**
 * A server-side session as the app sees it. Times are epoch milliseconds from the manager's clock.
 * The `id` is public (safe to show in a device list and to log); the secret half of the token is
 * never part of a session and is never stored, only its SHA-256.
 */
export interface Session<Data extends SessionData = SessionData> {
  id: string
  userId: string
  createdAt: number
  lastSeenAt: number
  /** Sliding: moves forward on use (throttled), never past `absoluteExpiresAt`. */
  idleExpiresAt: number
  /** Fixed at creation: no amount of activity extends a session past it. */
  absoluteExpiresAt: number
  userAgent?: string
  /** The client address, or a coarse hint of it: whatever the binding chose to record. */
  ip?: string
  /** How the user proved who they are (`'password'`, `'oidc'`, `'mfa'`, …). */
  authLevel: string
  /** When the user last proved it: `requireFreshSession(maxAge)` compares against this. */
  authenticatedAt: number
  data: Data
}

/** What the caller knows when it creates a session. */
export interface SessionMeta<Data extends SessionData = SessionData> {
  userAgent?: string
  ip?: string
  /** @default 'password' */
  authLevel?: string
  /** The user's coarse roles now, kept under {@link SESSION_ROLES_KEY}; `updateRoles` rewrites them. */
  roles?: readonly string[]
  /** How the user signed in, as RFC 8176 values (`pwd`, `otp`, `hwk`, `mfa`), kept under {@link SESSION_AMR_KEY}. */
  amr?: readonly string[]
  /** The factors proven and when (epoch ms), kept under {@link SESSION_FACTORS_KEY}. */
  factors?: readonly SessionFactor[]
  data?: Data
}

/** A factor a session's user proved, and when. */
export interface SessionFactor {
  method: string
  at: number
}

/** The `data` key that holds the session's RFC 8176 `amr` values. */
export const SESSION_AMR_KEY = 'acme:amr'
/** The `data` key that holds the factors proven, with their times. */
export const SESSION_FACTORS_KEY = 'acme:factors'

/** The RFC 8176 `amr` values a session carries ({@link SESSION_AMR_KEY}); `[]` when it holds none. */
export function sessionAmr(session: Pick<Session, 'data'>): string[] {
  return stringsIn(session.data[SESSION_AMR_KEY])
}

/** A new array of the strings in `value` when it is an array, else `[]` (read per request: a plain loop, no callback). */
function stringsIn(value: JsonValue | undefined): string[] {
  const strings: string[] = []
  if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') strings.push(item)
  return strings
}

/** The factors a session's user proved and when ({@link SESSION_FACTORS_KEY}); `[]` when none are recorded. */
export function sessionFactors(session: Pick<Session, 'data'>): SessionFactor[] {
  const factors = session.data[SESSION_FACTORS_KEY]
  if (!Array.isArray(factors)) return []
  return factors.flatMap((factor) =>
    typeof factor === 'object' && factor !== null && !Array.isArray(factor) && typeof factor.method === 'string' && typeof factor.at === 'number'
      ? [{ method: factor.method, at: factor.at }]
      : [],
  )
}

/** The `data` entries for `amr` and `factors` (checked: at most 16 short strings, 16 factors). */
export function authMethodData(meta: { amr?: readonly string[]; factors?: readonly SessionFactor[] }, path: string): SessionData {
  const out: SessionData = {}
  if (meta.amr !== undefined) {
    if (!Array.isArray(meta.amr) || meta.amr.length > 16 || !meta.amr.every((value) => typeof value === 'string' && /^[a-z0-9_:-]{1,32}$/.test(value))) {
      throw new TypeError(`${path}.amr must be an array of at most 16 short lower-case strings`)
    }
    out[SESSION_AMR_KEY] = [...(meta.amr as readonly string[])]
  }
  if (meta.factors !== undefined) {
    const valid = (factor: SessionFactor) =>
      typeof factor === 'object' && factor !== null && typeof factor.method === 'string' && factor.method.length <= 32 && Number.isFinite(factor.at)
    if (!Array.isArray(meta.factors) || meta.factors.length > 16 || !meta.factors.every(valid)) {
      throw new TypeError(`${path}.factors must be an array of at most 16 { method, at } entries`)
    }
    out[SESSION_FACTORS_KEY] = (meta.factors as readonly SessionFactor[]).map((factor) => ({ method: factor.method, at: factor.at }))
  }
  return out
}

/** The `data` key that holds the roles captured at sign-in (and rewritten by `updateRoles`). */
export const SESSION_ROLES_KEY = 'acme:roles'

/** The roles a session carries ({@link SESSION_ROLES_KEY}); `[]` when it holds none. */
export function sessionRoles(session: Pick<Session, 'data'>): string[] {
  return stringsIn(session.data[SESSION_ROLES_KEY])
}

/** Checks a roles argument: an array of at most 64 non-empty strings of at most 128 characters. */
export function checkRoles(roles: unknown, path: string): string[] {
  if (!Array.isArray(roles) || roles.length > 64 || !roles.every((role) => typeof role === 'string' && role.length > 0 && role.length <= 128)) {
    throw new TypeError(`${path} must be an array of at most 64 non-empty strings`)
  }
  return [...(roles as string[])]
}

/** A session as a store keeps it: the public session plus the SHA-256 of the token's secret. */
export interface SessionRecord extends Session {
  secretHash: string
}

/** When a session ends: the earlier of its idle and absolute expiry. */
export function sessionExpiresAt(session: Pick<Session, 'idleExpiresAt' | 'absoluteExpiresAt'>): number {
  return Math.min(session.idleExpiresAt, session.absoluteExpiresAt)
}
