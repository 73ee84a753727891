import type { Exchange } from '../http/exchange.js'
import { setCookieOn } from '../http/cookie-write.js'
import { serializeCookie, type CookieAttributes } from '../http/set-cookie.js'

/** Cookie names and attributes of the HTTP contract. */
export interface CookiePolicy {
  readonly names: { session: string; csrf: string; access: string; refresh: string; mfa: string; device: string }
  readonly secure: boolean
  /** Path of the refresh cookie: the auth routes' prefix, so refresh, login, logout and logout-all all see it. */
  readonly refreshPath: string
  /** Where earlier versions put the refresh cookie (the refresh route only); cleared on every refresh. */
  readonly legacyRefreshPath: string
}

/**
 * The contract's cookies: `__Host-sid`, `__Host-csrf`, `__Host-access`, `__Secure-refresh` and
 * `__Host-mfa` (a pending sign-in waiting for its second factor: SameSite=Strict, single use) and
 * `__Host-device` (a remembered device, `secondFactors.rememberDevice`: SameSite=Lax, so an OAuth
 * callback, a top-level navigation from the provider, still carries it).
 * `insecureDevelopment` drops `Secure` and the prefixes (plain-HTTP development on a host that is
 * not `localhost`); browsers treat `http://localhost` as secure, so it is never needed there.
 */
export function createCookiePolicy(basePath: string, insecureDevelopment: boolean): CookiePolicy {
  return Object.freeze({
    names: insecureDevelopment
      ? { session: 'sid', csrf: 'csrf', access: 'access', refresh: 'refresh', mfa: 'mfa', device: 'device' }
      : { session: '__Host-sid', csrf: '__Host-csrf', access: '__Host-access', refresh: '__Secure-refresh', mfa: '__Host-mfa', device: '__Host-device' },
    secure: !insecureDevelopment,
    refreshPath: basePath,
    legacyRefreshPath: `${basePath}/refresh`,
  })
}

export type CookieKind = 'session' | 'csrf' | 'access' | 'refresh' | 'mfa' | 'device'

function attributes(policy: CookiePolicy, kind: CookieKind, maxAgeMs: number): CookieAttributes {
  return {
    httpOnly: kind !== 'csrf', // the CSRF cookie is read by page scripts on purpose (double submit)
    secure: policy.secure,
    sameSite: kind === 'refresh' || kind === 'mfa' ? 'Strict' : 'Lax',
    path: kind === 'refresh' ? policy.refreshPath : '/',
    maxAgeSeconds: Math.max(0, Math.floor(maxAgeMs / 1000)),
  }
}

/**
 * Writes one of our cookies with the contract's attributes and `Max-Age` in whole seconds. Where
 * the adapter cannot write cookies now (a Server Component), nothing is written.
 */
export function setAuthCookie(ex: Exchange, policy: CookiePolicy, kind: CookieKind, value: string, maxAgeMs: number): void {
  setCookieOn(ex, policy.names[kind], value, attributes(policy, kind, maxAgeMs))
}

/** The `Set-Cookie` line of one of our cookies, for a response built without a request. */
export function authCookieLine(policy: CookiePolicy, kind: CookieKind, value: string, maxAgeMs: number): string {
  return serializeCookie(policy.names[kind], value, attributes(policy, kind, maxAgeMs))
}

/** Clears cookies with `Max-Age=0` under the same name, path and flags they were set with. */
export function clearAuthCookies(ex: Exchange, policy: CookiePolicy, kinds: readonly CookieKind[]): void {
  for (const kind of kinds) setAuthCookie(ex, policy, kind, '', 0)
}

/**
 * Expires a refresh cookie left on the old `Path=<basePath>/refresh` by an earlier version, which
 * the browser would otherwise send next to the new one (a duplicate). Write it before the new one.
 */
export function clearLegacyRefreshCookie(ex: Exchange, policy: CookiePolicy): void {
  setCookieOn(ex, policy.names.refresh, '', { ...attributes(policy, 'refresh', 0), path: policy.legacyRefreshPath })
}
