import { AuthError, isAuthError } from '../errors.js'
import type { AuthMetrics, StoreName } from '../metrics/auth-metrics.js'
import { attempt } from './attempt.js'

/**
 * Runs a store operation; any failure that is not already an AuthError becomes
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed with one typed error (503 at the server). With
 * `metrics`, each operation's latency is recorded by store and outcome (an AuthError the store
 * itself raised, such as a lost compare-and-set, is a store answer: `ok`).
 */
export function createStoreGuard(storeName: string, metered?: { store: StoreName; metrics: AuthMetrics }) {
  const failed = failure(storeName, metered)
  // Every store read goes through here: one `.then`, no async frame of its own.
  return <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    const started = metered ? performance.now() : 0
    return attempt(run).then(
      (result) => {
        metered?.metrics.storeOperation(metered.store, 'ok', performance.now() - started)
        return result
      },
      (error: unknown) => {
        throw failed(operation, error, started)
      },
    )
  }
}

/**
 * {@link createStoreGuard} for a store operation that answers synchronously (an in-process store):
 * the same error translation and latency metric, without a promise.
 */
export function createSyncStoreGuard(storeName: string, metered?: { store: StoreName; metrics: AuthMetrics }) {
  const failed = failure(storeName, metered)
  return <T>(operation: string, run: () => T): T => {
    const started = metered ? performance.now() : 0
    try {
      const result = run()
      metered?.metrics.storeOperation(metered.store, 'ok', performance.now() - started)
      return result
    } catch (error) {
      throw failed(operation, error, started)
    }
  }
}

/** Records a failed operation and returns what to throw: the store's own AuthError, else `ERR_STORE_UNAVAILABLE`. */
function failure(storeName: string, metered: { store: StoreName; metrics: AuthMetrics } | undefined) {
  return (operation: string, error: unknown, started: number): AuthError => {
    const answered = isAuthError(error)
    metered?.metrics.storeOperation(metered.store, answered ? 'ok' : 'error', performance.now() - started)
    if (answered) return error
    return new AuthError('ERR_STORE_UNAVAILABLE', `${storeName} failed during ${operation}`, { cause: error })
  }
}

/**
 * The store with every method run through {@link createStoreGuard}: whatever a custom
 * implementation throws reaches the caller as `ERR_STORE_UNAVAILABLE` (fail closed, 503).
 */
export function guardStore<Store extends object>(store: Store, storeName: string): Store {
  const guard = createStoreGuard(storeName)
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => guard(String(property), () => Promise.resolve(value.apply(target, args)))
    },
  })
}
