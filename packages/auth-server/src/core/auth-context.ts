import type { AuditEvent } from '@acme/auth-core'
import type { AuthConfig } from '../config/auth-config.js'
import { setAuthCookie, type CookiePolicy } from '../cookies/cookie-policy.js'
import type { Csrf } from '../csrf/csrf.js'
import type { Exchange } from '../http/exchange.js'
import { requestIdOf } from '../http/request-id.js'
import { readCookie } from '../cookies/cookie-header.js'
import type { Strategy } from '../strategies/strategy.js'

/** What every route handler shares. Internal. */
export interface AuthContext {
  config: Readonly<AuthConfig>
  cookies: CookiePolicy
  csrf: Csrf
  strategy: Strategy
  /** Emits an audit event stamped with time and the request's id and client. */
  audit(ex: Exchange, event: Omit<AuditEvent, 'at'>): void
  /** The CSRF token for this request's session: the cookie's when still bound to it, else a new one (cookie set). */
  csrfTokenFor(ex: Exchange, sessionId: string | undefined): string
}

const csrfCookieMaxAgeMs = 30 * 24 * 60 * 60 * 1000

export function createAuthContext(config: Readonly<AuthConfig>, cookies: CookiePolicy, csrf: Csrf, strategy: Strategy): AuthContext {
  return {
    config,
    cookies,
    csrf,
    strategy,
    audit(ex, event) {
      try {
        const userAgent = ex.header('user-agent')
        config.audit.emit({
          requestId: requestIdOf(ex),
          ...(ex.ip ? { ip: ex.ip } : {}),
          ...(userAgent === undefined ? {} : { userAgent: userAgent.slice(0, 256) }),
          ...event,
          at: new Date().toISOString(),
        })
      } catch {
        // Auditing must never break a request.
      }
    },
    csrfTokenFor(ex, sessionId) {
      const binding = sessionId ?? ''
      const current = readCookie(ex.header('cookie'), cookies.names.csrf)
      if (current.kind === 'value' && csrf.verify(current.value, binding)) return current.value
      const token = csrf.issue(binding)
      // Where no cookie can be written (a Server Component) the page still gets a token; the
      // client fetches its cookie from GET /auth/csrf before its first unsafe request.
      setAuthCookie(ex, cookies, 'csrf', token, csrfCookieMaxAgeMs)
      return token
    },
  }
}
