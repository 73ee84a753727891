import { IncomingMessage } from 'node:http'
import type { RequestAuth } from '../core/request-auth.js'

/**
 * Where `req.auth` lives: an accessor on Express's request prototype (the object right above
 * `http.IncomingMessage.prototype`, shared by every app and sub-app of that Express copy), backed
 * by a WeakMap. Express 5 re-prototypes every request, so V8 cannot cache a new own property on
 * `req`: each one costs a fresh hidden class, ≈ 12 k CPU instructions a request (measured with
 * `bench:instructions`), more than the whole session check. Through the accessor, `req.auth` reads
 * and writes as before and adds nothing to `req`. A request that is not an `IncomingMessage` (a
 * hand-made object in a unit test) gets a plain property, as before.
 */
const authOf = new WeakMap<object, RequestAuth | null | undefined>()

const accessor: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: object) {
    return authOf.get(this)
  },
  set(this: object, value: RequestAuth | null | undefined) {
    authOf.set(this, value)
  },
}

let lastPrototype: object | null = null

/** Makes `req.auth` an accessor for requests of `req`'s prototype chain; once per prototype. */
export function installAuthSlot(req: object): void {
  const prototype = Object.getPrototypeOf(req) as object | null
  if (prototype === lastPrototype) return
  lastPrototype = prototype
  let holder = prototype
  while (holder !== null && Object.getPrototypeOf(holder) !== IncomingMessage.prototype) holder = Object.getPrototypeOf(holder) as object | null
  // The holder is Express's `request` (or `IncomingMessage.prototype` itself for a bare Node request).
  const target = holder ?? (req instanceof IncomingMessage ? IncomingMessage.prototype : null)
  if (target === null || Object.hasOwn(target, 'auth')) return
  Object.defineProperty(target, 'auth', accessor)
}
