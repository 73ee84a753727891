import { headers } from 'next/headers.js'
import { NextContextError } from './next-context-error.js'

/** True on Next's edge runtime, where the stores (Redis, PostgreSQL, node:crypto) are not available. */
const onEdgeRuntime = (): boolean =>
  typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string' || process.env.NEXT_RUNTIME === 'edge'

/** Next's own errors for `headers()` in a cached scope or outside a request. */
const cachedScope = /use cache|unstable_cache/i
const noRequest = /outside a request scope|was called outside/i

/**
 * The incoming request's headers for `what` (`getSession()`, …), from Next's async `headers()`.
 * Says clearly when it is called where no per-request identity can exist; every other error
 * (Next's dynamic-rendering bail-outs included) passes through untouched.
 */
export async function requestHeaders(what: string): Promise<Headers> {
  if (onEdgeRuntime()) {
    throw new NextContextError(`${what} cannot run on the edge runtime: the session store needs Node.js. Remove \`export const runtime = 'edge'\` from this route.`)
  }
  try {
    return await headers()
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    if (cachedScope.test(message)) {
      throw new NextContextError(`${what} cannot run inside "use cache" or unstable_cache: a cached result would serve one user's session to others. Read the session outside the cached function and pass what it needs as arguments.`, { cause: error })
    }
    if (noRequest.test(message)) {
      throw new NextContextError(`${what} needs a request: call it from a Server Component, a Route Handler or a Server Action, not at module scope or from a script.`, { cause: error })
    }
    throw error
  }
}
