// The few cookie rules a signed-in test agent needs: the issued `Cookie` header as name → value,
// replaced by what the app sets and dropped when the app expires a cookie. Attributes such as Path
// and Secure are ignored on purpose: the agent stands for one browser on the app's own origin.

/** `a=1; b=2` → Map { a → 1, b → 2 }. */
export function parseCookieHeader(header: string): Map<string, string> {
  const jar = new Map<string, string>()
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
  }
  return jar
}

export function cookieHeader(jar: ReadonlyMap<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/** Applies `Set-Cookie` lines to the jar: a new value replaces, `Max-Age=0` or a past `Expires` deletes. */
export function rememberSetCookies(jar: Map<string, string>, setCookie: unknown): void {
  const lines = Array.isArray(setCookie) ? (setCookie as unknown[]) : [setCookie]
  for (const line of lines) {
    if (typeof line !== 'string') continue
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const name = pair.slice(0, eq)
    const attribute = (key: string) => attributes.find((part) => part.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1)
    // Max-Age wins over Expires (RFC 6265 §5.3).
    const maxAge = attribute('max-age')
    const expires = attribute('expires')
    const expired = maxAge !== undefined ? Number(maxAge) <= 0 : expires !== undefined && Date.parse(expires) <= Date.now()
    if (expired) jar.delete(name)
    else jar.set(name, pair.slice(eq + 1))
  }
}
