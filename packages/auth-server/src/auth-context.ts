import type { AuditEvent } from '@acme/auth-core'
import type { Request, Response } from 'express'
import type { AuthConfig } from './auth-config.js'
import { setAuthCookie, type CookiePolicy } from './cookie-policy.js'
import type { Csrf } from './csrf.js'
import { readCookie } from './lib/cookie-header.js'
import { requestIdOf } from './lib/request-id.js'
import type { Strategy } from './strategy.js'

/** What every route handler shares. Internal. */
export interface AuthContext {
  config: Readonly<AuthConfig>
  cookies: CookiePolicy
  csrf: Csrf
  strategy: Strategy
  /** Emits an audit event stamped with time and the request's id and client. */
  audit(req: Request, event: Omit<AuditEvent, 'at'>): void
  /** The CSRF token for this request's session: the cookie's when still bound to it, else a new one (cookie set). */
  csrfTokenFor(req: Request, res: Response, sessionId: string | undefined): string
}

const csrfCookieMaxAgeMs = 30 * 24 * 60 * 60 * 1000

export function createAuthContext(config: Readonly<AuthConfig>, cookies: CookiePolicy, csrf: Csrf, strategy: Strategy): AuthContext {
  return {
    config,
    cookies,
    csrf,
    strategy,
    audit(req, event) {
      try {
        const userAgent = req.headers['user-agent']
        config.audit.emit({
          requestId: requestIdOf(req),
          ...(req.ip ? { ip: req.ip } : {}),
          ...(typeof userAgent === 'string' ? { userAgent: userAgent.slice(0, 256) } : {}),
          ...event,
          at: new Date().toISOString(),
        })
      } catch {
        // Auditing must never break a request.
      }
    },
    csrfTokenFor(req, res, sessionId) {
      const binding = sessionId ?? ''
      const current = readCookie(req.headers.cookie, cookies.names.csrf)
      if (current.kind === 'value' && csrf.verify(current.value, binding)) return current.value
      const token = csrf.issue(binding)
      setAuthCookie(res, cookies, 'csrf', token, csrfCookieMaxAgeMs)
      return token
    },
  }
}
