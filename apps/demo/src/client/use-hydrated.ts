import { useSyncExternalStore } from 'react'

const subscribe = () => () => {}

/**
 * False in the server's HTML and until React has hydrated, then true. Forms stay disabled until
 * then, so an early click cannot submit them natively (a GET would put the password in the URL).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false)
}
