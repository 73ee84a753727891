import type { Answer } from './answer.js'
import type { Exchange } from './exchange.js'

/** One route: a method, a path pattern (`/sessions/:id`) and what answers it. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly path: string
  handle(ex: Exchange, params: Readonly<Record<string, string>>): Promise<Answer>
}

interface Compiled {
  route: Route
  segments: readonly string[]
}

/** A route table: the first route whose method and path match answers. */
export interface RouteTable {
  match(method: string, path: string): { route: Route; params: Record<string, string> } | null
}

/**
 * Compiles routes once; matching splits the path and compares segments (`:name` takes one). A
 * `HEAD` request is answered by the `GET` route (the adapter sends no body), as HTTP asks.
 */
export function createRouteTable(routes: readonly Route[]): RouteTable {
  const compiled: Compiled[] = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }))
  return {
    match(method, path) {
      const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
      const segments = trimmed.split('/').slice(1)
      const wanted = method === 'HEAD' ? 'GET' : method
      for (const { route, segments: pattern } of compiled) {
        if (route.method !== wanted || pattern.length !== segments.length) continue
        const params = matchSegments(pattern, segments)
        if (params) return { route, params }
      }
      return null
    },
  }
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!
    const got = segments[i]!
    if (want.startsWith(':')) {
      if (got.length === 0) return null
      try {
        params[want.slice(1)] = decodeURIComponent(got)
      } catch {
        return null
      }
    } else if (want !== got) {
      return null
    }
  }
  return params
}
