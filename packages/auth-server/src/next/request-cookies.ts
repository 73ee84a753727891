/**
 * The `Cookie` request header after the browser applied `setCookies`: a cookie that was set gets
 * its new value, one that was cleared (`Max-Age=0` or an `Expires` in the past) is dropped. The
 * proxy hands this to the page it lets through, so a Server Component rendered in the same
 * request reads the cookies the response is about to write, not the ones they replace.
 */
export function applySetCookies(cookieHeader: string | null, setCookies: readonly string[], now = Date.now()): string {
  const jar = new Map<string, string>()
  for (const pair of (cookieHeader ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at <= 0) continue
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
  }
  for (const line of setCookies) {
    const [first = '', ...attributes] = line.split(';')
    const at = first.indexOf('=')
    if (at <= 0) continue
    const name = first.slice(0, at).trim()
    if (isExpired(attributes, now)) jar.delete(name)
    else jar.set(name, first.slice(at + 1).trim())
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

function isExpired(attributes: readonly string[], now: number): boolean {
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase()
    const value = at < 0 ? '' : attribute.slice(at + 1).trim()
    if (key === 'max-age' && Number(value) <= 0) return true
    if (key === 'expires' && Date.parse(value) <= now) return true
  }
  return false
}
