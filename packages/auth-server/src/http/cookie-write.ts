import type { Exchange } from './exchange.js'
import { serializeCookie, type CookieAttributes } from './set-cookie.js'

/** Writes a cookie where the adapter can write one now; a no-op in a Server Component. */
export function setCookieOn(ex: Exchange, name: string, value: string, attributes: CookieAttributes): void {
  if (ex.canWriteCookies) ex.setCookie(serializeCookie(name, value, attributes))
}
