import type { TrustedDeviceForgetReason } from '@acme/auth-core'
import type { SecondFactors } from '../config/second-factors-config.js'
import { clearAuthCookies, setAuthCookie } from '../cookies/cookie-policy.js'
import { readCookie } from '../cookies/cookie-header.js'
import type { Exchange } from '../http/exchange.js'
import { clientOf } from '../strategies/session-strategy.js'
import type { AuthContext } from './auth-context.js'

/**
 * The `__Host-device` cookie's value, when remembered devices are on and the browser sent exactly
 * one (two are a confusion nobody can resolve: both go, and the sign-in is challenged).
 */
export function deviceCookieOf(ctx: AuthContext, ex: Exchange): string | undefined {
  if (!ctx.config.secondFactors?.trustedDevices) return undefined
  const found = readCookie(ex.header('cookie'), ctx.cookies.names.device)
  if (found.kind === 'duplicate') clearAuthCookies(ex, ctx.cookies, ['device'])
  return found.kind === 'value' ? found.value : undefined
}

/** The id half of this browser's device cookie (what `GET /mfa/devices` marks `current`), if any. */
export function currentDeviceId(ctx: AuthContext, ex: Exchange): string | undefined {
  return deviceCookieOf(ctx, ex)?.split('.')[0]
}

/**
 * After a second factor the user asked to remember this browser for: a new trusted device and its
 * cookie (HttpOnly, Secure, SameSite=Lax, Path=/, `Max-Age` of `rememberDevice.days`). Nothing
 * when remembered devices are off: the flag is then a wish the server does not grant.
 */
export async function rememberThisDevice(ctx: AuthContext, ex: Exchange, userId: string): Promise<void> {
  const devices = ctx.config.secondFactors?.trustedDevices
  if (!devices) return
  const { cookie } = await devices.trust(userId, clientOf(ex))
  setAuthCookie(ex, ctx.cookies, 'device', cookie, devices.maxAgeSeconds * 1000)
}

/**
 * Forgets every trusted device of the user: after logout-all, a password reset or change, the
 * removal of a factor, account deletion. Records left by an earlier `rememberDevice` setting go
 * too (turning it on again must not revive them). This browser's cookie is cleared as well.
 */
export async function forgetTrustedDevices(
  ctx: AuthContext,
  ex: Exchange | undefined,
  userId: string,
  reason: TrustedDeviceForgetReason,
): Promise<void> {
  const factors: SecondFactors | undefined = ctx.config.secondFactors
  if (!factors) return
  if (factors.trustedDevices) await factors.trustedDevices.forgetAll(userId, reason, ex ? clientOf(ex) : {})
  else if (typeof factors.store.deleteTrustedDevices === 'function') await factors.store.deleteTrustedDevices(userId)
  if (ex && readCookie(ex.header('cookie'), ctx.cookies.names.device).kind !== 'absent') clearAuthCookies(ex, ctx.cookies, ['device'])
}
