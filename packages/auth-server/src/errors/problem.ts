
/** An RFC 9457 problem details object, as every error of the HTTP contract is sent. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  /** Stable machine-readable code (extension member). */
  code?: string
  /** Why a new password was refused (`too_short`, `too_long`, `breached`), for `…/password-policy`. */
  violations?: readonly string[]
}

const problemBase = 'https://acme.dev/problems/'

/** Builds a problem with a `type` URI derived from a short slug. */
export function problem(status: number, slug: string, title: string, detail?: string): Problem {
  return { type: `${problemBase}${slug}`, title, status, ...(detail === undefined ? {} : { detail }) }
}
