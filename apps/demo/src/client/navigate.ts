let leaving = false

/**
 * Leaves the page once. A sign-out both resolves its mutation and flips the session to signed out
 * (which sends protected pages to /login): the first navigation wins instead of the second
 * aborting it.
 */
export function navigateOnce(url: string): void {
  if (leaving) return
  leaving = true
  window.location.assign(url)
}
