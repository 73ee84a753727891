/** What a Cookie header says about one cookie name. */
export type CookieLookup = { kind: 'absent' } | { kind: 'value'; value: string } | { kind: 'duplicate' }

const maxHeaderScan = 16 * 1024

/**
 * Reads one cookie from a raw `Cookie` header, and tells apart "absent", "one value" and "sent more
 * than once". Duplicates of an auth cookie are a cookie-tossing sign (a sibling domain or a
 * non-`__Host-` path trying to shadow ours), so callers refuse them instead of picking one.
 */
export function readCookie(header: string | undefined, name: string): CookieLookup {
  if (header === undefined || header.length === 0) return { kind: 'absent' }
  const text = header.length > maxHeaderScan ? header.slice(0, maxHeaderScan) : header
  let found: string | undefined
  let start = 0
  while (start < text.length) {
    let end = text.indexOf(';', start)
    if (end < 0) end = text.length
    const eq = text.indexOf('=', start)
    if (eq > start && eq < end && text.slice(start, eq).trim() === name) {
      if (found !== undefined) return { kind: 'duplicate' }
      found = decode(text.slice(eq + 1, end).trim())
    }
    start = end + 1
  }
  return found === undefined ? { kind: 'absent' } : { kind: 'value', value: found }
}

function decode(raw: string): string {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
