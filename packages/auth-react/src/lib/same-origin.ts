/** Stands in for the page's origin where there is no `location` (server rendering, workers without one). */
const placeholderOrigin = 'http://same-origin.invalid'

/**
 * True when `url` targets the page's own origin, decided the way `fetch` will resolve it:
 * `new URL(url, location.href).origin === location.origin`. No pattern guesses what is
 * "relative": `/\evil.example`, ` //evil.example` and `\t//evil.example` all resolve to another
 * host (backslashes count as slashes, leading whitespace and tabs are stripped). Without a
 * `location` only URLs that resolve against a placeholder base to that base count as ours.
 * The CSRF token and the 401 reaction are for our own server only: a token sent to a third-party
 * origin would leak, and a third party's 401 says nothing about our session.
 */
export function isSameOrigin(url: string): boolean {
  const location = (globalThis as { location?: { href: string; origin: string } }).location
  const base = location?.href ?? `${placeholderOrigin}/`
  const origin = location?.origin ?? placeholderOrigin
  try {
    return new URL(url, base).origin === origin
  } catch {
    return false
  }
}

/** The path of `url`, relative or absolute, without query or fragment. */
export function pathOf(url: string): string {
  try {
    return new URL(url, 'http://path.invalid').pathname
  } catch {
    return url
  }
}
