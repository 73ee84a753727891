import { FetchError } from 'ofetch'
import { authQueryKeys } from '../query-keys.js'
import type { ProblemDetails } from '../http-types.js'
import type { AuthRuntime } from './auth-runtime.js'

/** `GET <basePath>/mfa/pending`: whether this browser's pending cookie holds a sign-in waiting for a factor. */
interface PendingAnswer {
  mfaRequired: boolean
  methods?: string[]
}

/** A second factor the server accepts for a pending sign-in: `totp`, `recovery`, `passkey`. */
export type MfaMethod = 'totp' | 'recovery' | 'passkey'

/** What the cache holds while a sign-in waits for its second factor (the pending cookie is HttpOnly: only the methods are known here). */
export interface MfaChallenge {
  methods: MfaMethod[]
}

/** The body of a sign-in answer: the user, or a second factor to prove. */
export type LoginAnswer = { mfaRequired?: boolean; methods?: string[] } | null | undefined

/**
 * The rejection of a sign-in whose password (or passkey) was right but that still needs a second
 * factor: no session yet, {@link useMfaChallenge} now says which methods. `code` is `mfa_required`.
 */
export class MfaRequiredError extends FetchError<ProblemDetails> {
  readonly code = 'mfa_required'
  readonly methods: MfaMethod[]
  constructor(methods: MfaMethod[]) {
    super('A second factor is required to finish signing in.')
    this.name = 'MfaRequiredError'
    this.methods = methods
  }
}

const known = new Set<string>(['totp', 'recovery', 'passkey'])

/** Throws {@link MfaRequiredError} (and remembers the challenge) when the answer asks for a second factor. */
export function awaitSecondFactor(runtime: Pick<AuthRuntime, 'queryClient'>, answer: LoginAnswer): void {
  if (answer?.mfaRequired !== true) return
  const methods = (answer.methods ?? []).filter((method): method is MfaMethod => known.has(method))
  const challenge: MfaChallenge = { methods }
  runtime.queryClient.setQueryData<MfaChallenge | null>(authQueryKeys.mfaChallenge(), challenge)
  throw new MfaRequiredError(methods)
}

/**
 * Asks the server whether a pending sign-in waits in this browser (one this page did not start: an
 * OAuth sign-in redirected here) and, if so, holds its challenge like a password sign-in does.
 */
export async function resumeMfaChallenge(runtime: Pick<AuthRuntime, 'queryClient' | 'fetch' | 'basePath'>): Promise<boolean> {
  const answer = await runtime.fetch<PendingAnswer>(`${runtime.basePath}/mfa/pending`)
  if (answer.mfaRequired !== true) return false
  const methods = (answer.methods ?? []).filter((method): method is MfaMethod => known.has(method))
  const challenge: MfaChallenge = { methods }
  runtime.queryClient.setQueryData<MfaChallenge | null>(authQueryKeys.mfaChallenge(), challenge)
  return true
}

/** The pending sign-in was completed or given up: no challenge any more. */
export function clearMfaChallenge(runtime: Pick<AuthRuntime, 'queryClient'>): void {
  runtime.queryClient.setQueryData<MfaChallenge | null>(authQueryKeys.mfaChallenge(), null)
}
