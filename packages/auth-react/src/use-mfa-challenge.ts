'use client'
import { useQuery } from '@tanstack/react-query'
import { useAuthRuntime } from './lib/auth-context.js'
import { clearMfaChallenge, resumeMfaChallenge, type MfaChallenge, type MfaMethod } from './lib/mfa-challenge.js'
import { authQueryKeys } from './query-keys.js'

export type { MfaChallenge, MfaMethod }

/** What {@link useMfaChallenge} answers. */
export interface MfaChallengeState {
  /** True after a sign-in that answered `mfaRequired`, until a code (or passkey) completes it or `cancel()`. */
  pending: boolean
  /** The methods the server accepts for it (`totp`, `recovery`, `passkey`); empty when nothing is pending. */
  methods: MfaMethod[]
  /** Forgets the pending sign-in here (the server's pending cookie lapses on its own within 5 minutes). */
  cancel(): void
  /**
   * Asks the server (`GET /auth/mfa/pending`) for a pending sign-in this page did not start — an
   * OAuth sign-in that needs a factor redirects to the app's challenge page — and, when there is
   * one, reports it like any other. Resolves `true` when a challenge is now pending.
   */
  resume(): Promise<boolean>
}

/**
 * Whether a sign-in waits for a second factor, and which ones. {@link useSignIn} (and
 * {@link useSignInWithPasskey}) reject with `MfaRequiredError` when the password was right but a
 * factor is enrolled; this hook then reports the challenge, held in memory only (the pending
 * cookie is HttpOnly), until {@link useVerifyMfa} turns it into a session.
 *
 * @example
 * ```tsx
 * const challenge = useMfaChallenge()
 * if (challenge.pending) return <CodeForm methods={challenge.methods} />
 * // On the page an OAuth sign-in redirects to (the server's `secondFactors.challengePage`):
 * useEffect(() => void challenge.resume(), [])
 * ```
 */
export function useMfaChallenge(): MfaChallengeState {
  const runtime = useAuthRuntime('useMfaChallenge')
  const { data } = useQuery<MfaChallenge | null>(
    {
      queryKey: authQueryKeys.mfaChallenge(),
      queryFn: () => null,
      initialData: null,
      staleTime: Infinity,
      gcTime: Infinity,
    },
    runtime.queryClient,
  )
  return { pending: data != null, methods: data?.methods ?? [], cancel: () => clearMfaChallenge(runtime), resume: () => resumeMfaChallenge(runtime) }
}
