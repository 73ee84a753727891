const absoluteUrl = /^(?:[a-z][a-z\d+.-]*:|\/\/)/i

/**
 * True when `url` targets the page's own origin. Relative URLs always do; absolute ones must
 * match `location.origin` (without a `location`, as on a server, only relative URLs count).
 * The CSRF token and the 401 reaction are for our own server only: a token sent to a third-party
 * origin would leak, and a third party's 401 says nothing about our session.
 */
export function isSameOrigin(url: string): boolean {
  if (!absoluteUrl.test(url)) return true
  const location = (globalThis as { location?: { href: string; origin: string } }).location
  if (!location) return false
  try {
    return new URL(url, location.href).origin === location.origin
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
