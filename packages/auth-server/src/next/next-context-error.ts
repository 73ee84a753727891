/**
 * A Next.js API of this adapter was called where it cannot work: on the edge runtime, inside
 * `"use cache"` / `unstable_cache`, or outside a request. A programming error, thrown loudly
 * rather than answered with a guess (a cached or shared session would leak one user's identity
 * to another).
 */
export class NextContextError extends Error {
  readonly code = 'ERR_NEXT_CONTEXT'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'NextContextError'
  }
}
