/** `/auth` style: one leading slash, no trailing one. */
export function normalizeBasePath(value: string | undefined, name: string): string {
  if (value === undefined) return '/auth'
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    throw new TypeError(`${name} must be a path starting with "/", like "/auth"`)
  }
  return value.replace(/\/+$/, '')
}
