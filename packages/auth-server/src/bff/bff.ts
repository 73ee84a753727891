import type { AuthContext } from '../core/auth-context.js'
import { authenticateNow } from '../core/authenticate-now.js'
import { checkCsrf, isUnsafeMethod } from '../csrf/csrf-guard.js'
import type { Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { problemAnswer } from '../http/problem-answer.js'
import { createBffProxy, type BffProxyOptions, type ResponseSink } from './bff-proxy.js'

/** Options of the BFF. */
export interface BffOptions extends Omit<BffProxyOptions, 'tokens'> {
  /** Path the proxy answers under. @default '/api' */
  mount?: string
  /** Where the Bearer token comes from. */
  tokens: BffProxyOptions['tokens']
}

/** The framework-neutral BFF: each adapter hands it requests and a sink for the upstream's answer. */
export interface Bff {
  readonly mount: string
  /** The path and query after the mount (`/notes?x=1`), or `null` when `url` is not under it. */
  afterMount(url: string): string | null
  /**
   * Authenticates, checks CSRF on unsafe methods and forwards. Resolves `null` once the upstream's
   * answer went to `sink`, or with the answer to send instead (401, 403, 400, 413, 502, 504).
   */
  forward(ex: Exchange, afterMount: string, sink: ResponseSink): Promise<Answer | null>
  /** Ends the keep-alive connections to the upstream. */
  close(): Promise<void>
}

export function createBff(ctx: AuthContext, options: BffOptions): Bff {
  const mount = options.mount ?? '/api'
  if (!/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/.test(mount)) throw new TypeError("bff: mount must look like '/api'")
  const { proxy, close } = createBffProxy(options, ctx.config.origins)
  return {
    mount,
    afterMount(url) {
      if (!url.startsWith(mount)) return null
      const rest = url.slice(mount.length)
      if (rest !== '' && rest[0] !== '/' && rest[0] !== '?') return null
      return rest === '' || rest[0] === '?' ? `/${rest}` : rest
    },
    async forward(ex, afterMount, sink) {
      try {
        // Behind the middleware the request is authenticated already: no wait then, nor for CSRF on a safe method.
        const authenticated = authenticateNow(ctx.strategy, ex)
        if (authenticated instanceof Promise) await authenticated
        if (isUnsafeMethod(ex.method)) {
          const refused = await checkCsrf(ctx, ex)
          if (refused) throw refused
        }
        await proxy(ex, afterMount, sink)
        return null
      } catch (error) {
        return problemAnswer(error)
      }
    },
    close,
  }
}
