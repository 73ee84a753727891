const probe = 'http://return-to.invalid'

/**
 * `value` when it is a same-origin relative path (`/notes?x=1#top`), else `fallback`. Refuses
 * absolute URLs, scheme-relative `//host`, `/\host` (browsers read `\` as `/`), other schemes
 * (`javascript:`), and any whitespace or control character (the URL parser strips tabs and
 * newlines, which would turn `/\t/evil.example` into `//evil.example`).
 *
 * @example
 * ```ts
 * safeReturnTo('/notes?page=2') // '/notes?page=2'
 * safeReturnTo('//evil.example') // '/'
 * ```
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback
  if (value[0] !== '/' || value[1] === '/' || value[1] === '\\') return fallback
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u0020\u007f-\u00a0\\]/.test(value)) return fallback
  let url: URL
  try {
    url = new URL(value, probe)
  } catch {
    return fallback
  }
  if (url.origin !== probe) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
