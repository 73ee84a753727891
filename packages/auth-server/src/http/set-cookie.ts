/** The attributes our cookies are written with. */
export interface CookieAttributes {
  httpOnly: boolean
  secure: boolean
  sameSite: 'Strict' | 'Lax'
  path: string
  /** Whole seconds; 0 expires the cookie now. */
  maxAgeSeconds: number
}

// RFC 6265 cookie-octets: our values are base64url, dots and JSON-free tokens; anything else is encoded.
const plainValue = /^[A-Za-z0-9._~!#$&'*+^`|-]*$/

/**
 * One `Set-Cookie` line: `name=value; Max-Age=…; Path=…; Expires=…; HttpOnly; Secure; SameSite=…`.
 * `Expires` rides along for old clients, as Express's `res.cookie` writes it.
 */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes, now = Date.now()): string {
  const encoded = plainValue.test(value) ? value : encodeURIComponent(value)
  const maxAge = Math.max(0, Math.floor(attributes.maxAgeSeconds))
  let line = `${name}=${encoded}; Max-Age=${maxAge}; Path=${attributes.path}; Expires=${new Date(now + maxAge * 1000).toUTCString()}`
  if (attributes.httpOnly) line += '; HttpOnly'
  if (attributes.secure) line += '; Secure'
  return `${line}; SameSite=${attributes.sameSite}`
}
