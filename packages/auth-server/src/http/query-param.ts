import type { Exchange } from './exchange.js'

/**
 * One query parameter's value, or `undefined` when it is absent or given more than once (a
 * repeated `state` or `returnTo` is never "the first one": it is refused).
 */
export function queryParam(ex: Exchange, name: string): string | undefined {
  if (ex.search.length < 2) return undefined
  const values = new URLSearchParams(ex.search.slice(1)).getAll(name)
  return values.length === 1 ? values[0] : undefined
}
