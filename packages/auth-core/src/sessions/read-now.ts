import type { SessionRecord } from './session.js'

/**
 * The key of an optional, synchronous `get` of a store that holds its records in this process
 * (the memory store). With it the session manager answers a lookup without a promise, so a
 * protected request goes on in the same tick. Not part of the store contract: stores without it
 * are read through `get`. A registry symbol, so two copies of this module (a bundler's) agree.
 */
export const readNow: unique symbol = Symbol.for('@acme/auth-core/session-store/read-now')

/** A store that can answer `get` at once. */
export interface ReadsNow {
  /** What `get(id, now)` would resolve with; `undefined` when it cannot tell without `get` (then call it). */
  [readNow](id: string, now: number): SessionRecord | null | undefined
}

export const readsNow = (store: object): store is ReadsNow => typeof (store as Partial<ReadsNow>)[readNow] === 'function'
