'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { confirmTotp, removeTotp, startTotpEnrollment, type RecoveryCodesResult, type TotpEnrollment } from './lib/mfa-actions.js'

export type { RecoveryCodesResult, TotpEnrollment }

/** What {@link useEnrollTotp} answers: one mutation per step. */
export interface EnrollTotp {
  /** `POST /auth/mfa/totp` (a fresh session, else 401 `…/reauthenticate`): `data` is `{ otpauthUrl, qrSvg }`; 409 while one is enrolled. */
  start: UseMutationResult<TotpEnrollment, AuthFetchError, void>
  /** `POST /auth/mfa/totp/confirm` with the first code: `data.recoveryCodes`, ten codes to show once. */
  confirm: UseMutationResult<RecoveryCodesResult, AuthFetchError, string>
  /** `DELETE /auth/mfa/totp` (a fresh session). */
  remove: UseMutationResult<void, AuthFetchError, void>
}

/**
 * Enrolls an authenticator app. `start` gives the `otpauth://` URL and the QR code — `qrSvg` is
 * SVG markup made by the server: render it as an image (`<img src={'data:image/svg+xml,' +
 * encodeURIComponent(qrSvg)}>`), not as HTML. `confirm` takes the first code and answers the
 * recovery codes, which live only in this mutation's result (never in browser storage).
 *
 * @example
 * ```tsx
 * const totp = useEnrollTotp()
 * totp.start.mutate()
 * totp.confirm.mutate(code)
 * {totp.confirm.data?.recoveryCodes.map((c) => <code key={c}>{c}</code>)}
 * ```
 */
export function useEnrollTotp(): EnrollTotp {
  const runtime = useAuthRuntime('useEnrollTotp')
  const { queryClient } = runtime
  return {
    start: useMutation<TotpEnrollment, AuthFetchError, void>({ mutationFn: () => startTotpEnrollment(runtime) }, queryClient),
    confirm: useMutation<RecoveryCodesResult, AuthFetchError, string>({ mutationFn: (code) => confirmTotp(runtime, code) }, queryClient),
    remove: useMutation<void, AuthFetchError, void>({ mutationFn: () => removeTotp(runtime) }, queryClient),
  }
}
