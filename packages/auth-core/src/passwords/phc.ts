// PHC string format (https://github.com/P-H-C/phc-string-format): $id[$v=version][$params]$salt$hash.

/** A parsed PHC string. `params` keeps the values as written. */
export interface PhcString {
  id: string
  version?: number
  params: Readonly<Record<string, string>>
  salt: string
  hash: string
}

const idPattern = /^[a-z0-9-]{1,32}$/
const b64Pattern = /^[A-Za-z0-9+/]*$/

/** Parses a PHC string, or returns `null` for anything else (bounded, no exceptions). */
export function parsePhc(text: unknown): PhcString | null {
  if (typeof text !== 'string' || text.length > 512 || !text.startsWith('$')) return null
  const fields = text.slice(1).split('$')
  const id = fields.shift()
  if (id === undefined || !idPattern.test(id)) return null
  let version: number | undefined
  if (fields[0]?.startsWith('v=')) {
    version = Number(fields.shift()!.slice(2))
    if (!Number.isInteger(version)) return null
  }
  if (fields.length !== 3) return null
  const [paramText, salt, hash] = fields as [string, string, string]
  const params: Record<string, string> = {}
  for (const pair of paramText.split(',')) {
    const eq = pair.indexOf('=')
    if (eq <= 0) return null
    params[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  if (!b64Pattern.test(salt) || !b64Pattern.test(hash) || salt === '' || hash === '') return null
  return { id, ...(version === undefined ? {} : { version }), params, salt, hash }
}

/** Writes a PHC string; `params` in the order given. */
export function formatPhc(phc: PhcString): string {
  const params = Object.entries(phc.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(',')
  const version = phc.version === undefined ? '' : `$v=${phc.version}`
  return `$${phc.id}${version}$${params}$${phc.salt}$${phc.hash}`
}
