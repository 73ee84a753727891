// The BFF forwards to ONE upstream origin. A path is accepted only if it cannot name another host
// or climb out of the upstream's base path, however it is spelled; anything doubtful is refused
// (400) rather than "normalised", since proxies and upstreams normalise differently.

// `%3b` and `;` too: Tomcat, Spring and Jetty strip `;params` from a segment, so `..;` is `..` there.
const encodedTraps = /%2f|%5c|%2e|%00|%25|%3b/i

/**
 * The upstream path (with query) for the part of the request URL after the mount point, or `null`
 * when it is unsafe: backslashes, encoded slashes, backslashes, dots or semicolons, `.` segments and
 * segments starting with `..`, segments with `;` (matrix parameters), `//host`, absolute URLs,
 * control characters.
 */
export function safeUpstreamPath(afterMount: string, upstreamBasePath: string): string | null {
  if (afterMount.length > 8192) return null
  const queryAt = afterMount.indexOf('?')
  const path = queryAt < 0 ? afterMount : afterMount.slice(0, queryAt)
  const query = queryAt < 0 ? '' : afterMount.slice(queryAt)
  if (!path.startsWith('/') || path.startsWith('//')) return null
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\\\u0000-\u001f\u007f]/.test(afterMount) || encodedTraps.test(path) || /^[a-z][a-z0-9+.-]*:/i.test(path.slice(1))) return null
  for (const segment of path.split('/')) {
    if (segment === '.' || segment.startsWith('..') || segment.includes(';')) return null
  }
  const base = upstreamBasePath.endsWith('/') ? upstreamBasePath.slice(0, -1) : upstreamBasePath
  return `${base}${path}${query}`
}
