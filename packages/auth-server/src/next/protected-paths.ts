/**
 * Whether `pathname` is one of `protect`: a listed path itself or anything below it
 * (`/notes` covers `/notes` and `/notes/42`, not `/notes-archive`); `/` covers only `/`.
 */
export function isProtectedPath(pathname: string, protect: readonly string[]): boolean {
  return protect.some((path) => {
    if (path === '/') return pathname === '/'
    const base = path.endsWith('/') ? path.slice(0, -1) : path
    return pathname === base || pathname.startsWith(`${base}/`)
  })
}

/** Checks the `protect` list once, when the proxy is created: paths start with `/`. */
export function checkProtectedPaths(protect: readonly string[]): readonly string[] {
  for (const path of protect) {
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
      throw new TypeError(`auth.proxy: every protected path must start with a single '/' (got ${JSON.stringify(path)})`)
    }
  }
  return [...protect]
}
