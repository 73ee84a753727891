import { IncomingMessage } from 'node:http'

/**
 * Where `req.auth` (and `requireAccessToken()`'s `req.accessToken`) live: accessors on Express's
 * request prototype (the object right above `http.IncomingMessage.prototype`, shared by every app
 * and sub-app of that Express copy), backed by WeakMaps. Express 5 re-prototypes every request, so
 * V8 cannot cache a new own property on `req`: each one costs a fresh hidden class, ≈ 12 k CPU
 * instructions a request (measured with `bench:instructions`), more than the whole session check.
 * Through the accessors, both read and write as before and add nothing to `req`. A request that is
 * not an `IncomingMessage` (a hand-made object in a unit test) gets plain properties, as before.
 */
const slotNames = ['auth', 'accessToken'] as const

const accessorOf = (values: WeakMap<object, unknown>): PropertyDescriptor => ({
  configurable: true,
  enumerable: false,
  get(this: object) {
    return values.get(this)
  },
  set(this: object, value: unknown) {
    values.set(this, value)
  },
})

const slots = slotNames.map((name) => ({ name, accessor: accessorOf(new WeakMap()) }))

let lastPrototype: object | null = null

/** Makes `req.auth` and `req.accessToken` accessors for requests of `req`'s prototype chain; once per prototype. */
export function installAuthSlot(req: object): void {
  const prototype = Object.getPrototypeOf(req) as object | null
  if (prototype === lastPrototype) return
  lastPrototype = prototype
  let holder = prototype
  while (holder !== null && Object.getPrototypeOf(holder) !== IncomingMessage.prototype) holder = Object.getPrototypeOf(holder) as object | null
  // The holder is Express's `request` (or `IncomingMessage.prototype` itself for a bare Node request).
  const target = holder ?? (req instanceof IncomingMessage ? IncomingMessage.prototype : null)
  if (target === null) return
  for (const { name, accessor } of slots) if (!Object.hasOwn(target, name)) Object.defineProperty(target, name, accessor)
}
