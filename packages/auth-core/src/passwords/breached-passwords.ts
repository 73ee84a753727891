import { COMMON_PASSWORDS } from './common-passwords.js'
import { normalizePassword } from './password-hasher.js'

/**
 * A k-anonymity range source, shaped like the Pwned Passwords API: given the first 5 hex characters
 * of a password's SHA-1, it answers the remaining 35-character suffixes (upper case) it knows, with
 * how often each was seen. The password itself, and even its full hash, never leave the process.
 *
 * @example
 * ```ts
 * const source: BreachedPasswordSource = createOfflineBreachedPasswords()
 * const suffixes = await source.range('5BAA6') // SHA-1('password') starts with 5BAA6
 * ```
 */
export interface BreachedPasswordSource {
  range(prefix: string): Promise<ReadonlyMap<string, number>>
}

/**
 * Whether `password` (NFKC-normalised) appears in `source` at least `minCount` times.
 *
 * @default minCount 1
 * @example
 * ```ts
 * await isPasswordBreached('password1', createOfflineBreachedPasswords()) // true
 * ```
 */
export async function isPasswordBreached(
  password: string,
  source: BreachedPasswordSource,
  minCount = 1,
): Promise<boolean> {
  const digest = await sha1Hex(normalizePassword(password))
  const suffixes = await source.range(digest.slice(0, 5))
  return (suffixes.get(digest.slice(5)) ?? 0) >= minCount
}

/**
 * A {@link BreachedPasswordSource} over a bundled list of common breached passwords (or your own
 * list): for tests and air-gapped installs. Hashes the list once, on first use.
 *
 * @default passwords a bundled list of ~120 of the most common breached passwords
 * @example
 * ```ts
 * import { createOfflineBreachedPasswords, createPasswordPolicy } from '@acme/auth-core'
 *
 * const policy = createPasswordPolicy({ breached: createOfflineBreachedPasswords() })
 * ```
 */
export function createOfflineBreachedPasswords(passwords: readonly string[] = COMMON_PASSWORDS): BreachedPasswordSource {
  const list: unknown = passwords
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) throw new TypeError('passwords must be an array of strings')
  let index: Promise<Map<string, Map<string, number>>> | undefined
  const build = async () => {
    const byPrefix = new Map<string, Map<string, number>>()
    for (const password of passwords) {
      const digest = await sha1Hex(normalizePassword(password))
      const prefix = digest.slice(0, 5)
      let suffixes = byPrefix.get(prefix)
      if (!suffixes) byPrefix.set(prefix, (suffixes = new Map<string, number>()))
      suffixes.set(digest.slice(5), (suffixes.get(digest.slice(5)) ?? 0) + 1)
    }
    return byPrefix
  }
  return {
    async range(prefix) {
      index ??= build()
      return (await index).get(prefix.toUpperCase()) ?? new Map<string, number>()
    },
  }
}

/**
 * A {@link BreachedPasswordSource} over the Pwned Passwords range API (or a mirror of it), with
 * response padding on so that the size of an answer does not hint at the prefix.
 *
 * @default baseUrl 'https://api.pwnedpasswords.com/range/'
 * @default fetch globalThis.fetch
 * @example
 * ```ts
 * const policy = createPasswordPolicy({ breached: createPwnedPasswordsRange() })
 * ```
 */
export function createPwnedPasswordsRange(
  options: { baseUrl?: string; fetch?: typeof fetch } = {},
): BreachedPasswordSource {
  const baseUrl = options.baseUrl ?? 'https://api.pwnedpasswords.com/range/'
  if (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl)) throw new TypeError('options.baseUrl must be an http(s) URL')
  const fetchImpl = options.fetch ?? globalThis.fetch
  if (typeof fetchImpl !== 'function') throw new TypeError('options.fetch must be a function')
  return {
    async range(prefix) {
      if (!/^[0-9A-Fa-f]{5}$/.test(prefix)) throw new TypeError('prefix must be 5 hex characters')
      const response = await fetchImpl(`${baseUrl}${prefix.toUpperCase()}`, { headers: { 'Add-Padding': 'true' } })
      if (!response.ok) throw new Error(`breached-password range request failed: HTTP ${response.status}`)
      const suffixes = new Map<string, number>()
      for (const line of (await response.text()).split('\n')) {
        const [suffix, count] = line.trim().split(':')
        const n = Number(count)
        if (suffix && n > 0) suffixes.set(suffix.toUpperCase(), n) // padding lines have count 0
      }
      return suffixes
    },
  }
}

async function sha1Hex(text: string): Promise<string> {
  // SHA-1 only because the range APIs index by it; it is a lookup key here, not a password hash.
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)))
  let hex = ''
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0')
  return hex.toUpperCase()
}
