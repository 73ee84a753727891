import { randomBytes } from 'node:crypto'
import { NextResponse } from 'next/server'

/**
 * Lets a page through with a fresh CSP nonce: set on the request (Next puts it on its own
 * scripts) and on the response. No script runs without it.
 */
export function withContentSecurityPolicy(requestHeaders: Headers): NextResponse {
  const nonce = randomBytes(16).toString('base64')
  const dev = process.env.NODE_ENV === 'development'
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
  requestHeaders.set('content-security-policy', csp)
  const response = NextResponse.next({ request: { headers: requestHeaders } })
  response.headers.set('content-security-policy', csp)
  return response
}
