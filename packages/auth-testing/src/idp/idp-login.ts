/** How `TestIdP.login()` answers the IdP's interaction. */
export interface TestIdPLoginOptions {
  /** The `sub` of the account to log in. @default the first account */
  account?: string
  /** Deny the request instead: the client receives `error=access_denied`. */
  deny?: boolean
}

const maxHops = 20

/**
 * Follows an authorization request through the IdP like a browser: a cookie jar scoped to the
 * IdP, redirects followed while they stay on the IdP, the interaction answered through its query.
 * Returns the first redirect that leaves the IdP: the authorization response for the client.
 */
export async function followLogin(issuer: string, authorizationUrl: URL, options: TestIdPLoginOptions & { defaultAccount?: string }): Promise<URL> {
  const idpOrigin = new URL(issuer).origin
  if (authorizationUrl.origin !== idpOrigin) throw new TypeError(`login: ${authorizationUrl.origin} is not this IdP (${idpOrigin})`)
  const jar = new Map<string, string>()
  let url = authorizationUrl
  for (let hop = 0; hop < maxHops; hop++) {
    if (url.pathname.startsWith('/interaction/')) {
      if (options.deny) url.searchParams.set('deny', '1')
      else {
        const account = options.account ?? options.defaultAccount
        if (account !== undefined) url.searchParams.set('account', account)
      }
    }
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
    for (const line of res.headers.getSetCookie()) remember(jar, line)
    const location = res.headers.get('location')
    if (res.status < 300 || res.status >= 400 || location === null) {
      const body = await res.text()
      throw new Error(`login: the IdP answered ${res.status} at ${url.pathname}: ${body.slice(0, 300)}`)
    }
    await res.body?.cancel()
    const next = new URL(location, url)
    if (next.origin !== idpOrigin) return next
    url = next
  }
  throw new Error('login: too many redirects inside the IdP')
}

function remember(jar: Map<string, string>, line: string): void {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
  const eq = pair.indexOf('=')
  if (eq <= 0) return
  const name = pair.slice(0, eq)
  const value = pair.slice(eq + 1)
  const expired = attributes.some((attribute) => {
    const lower = attribute.toLowerCase()
    return lower === 'max-age=0' || (lower.startsWith('expires=') && Date.parse(attribute.slice(8)) <= Date.now())
  })
  if (expired || value === '') jar.delete(name)
  else jar.set(name, value)
}
