import type { AuthFetchError } from '@acme/auth-react'

const reasons: Record<string, string> = {
  too_short: 'it is shorter than 8 characters',
  too_long: 'it is longer than 256 characters',
  breached: 'it appears in lists of breached passwords',
}

/** What to tell the user about a failed account request; never which part of a secret was wrong. */
export function problemText(error: AuthFetchError, fallback: string): string {
  const violations = error.data?.violations ?? []
  if (error.status === 400 && violations.length > 0) {
    return `Choose another password: ${violations.map((code) => reasons[code] ?? code).join(', ')}.`
  }
  if (error.status === 400 && error.data?.type?.endsWith('/invalid-token')) return 'This link is invalid, expired or already used.'
  if (error.status === 429) return 'Too many attempts. Try again later.'
  return fallback
}

/** The `token` query parameter of this page's URL, read in the browser only (not rendered). */
export function tokenFromUrl(): string {
  return new URLSearchParams(window.location.search).get('token') ?? ''
}
