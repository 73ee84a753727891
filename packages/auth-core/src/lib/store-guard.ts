import { AuthError, isAuthError } from '../errors.js'

/**
 * Runs a store operation; any failure that is not already an AuthError becomes
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed with one typed error (503 at the server).
 */
export function createStoreGuard(storeName: string) {
  return async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      if (isAuthError(error)) throw error
      throw new AuthError('ERR_STORE_UNAVAILABLE', `${storeName} failed during ${operation}`, { cause: error })
    }
  }
}
