import type { AuthContext } from '../core/auth-context.js'
import { currentDeviceId } from '../core/trusted-device-cookie.js'
import { clearAuthCookies } from '../cookies/cookie-policy.js'
import { notFound, unauthorized } from '../errors/problem-error.js'
import { empty, json } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'
import { clientOf } from '../strategies/session-strategy.js'

/**
 * The remembered devices of the signed-in user (with `secondFactors.rememberDevice`; 404
 * otherwise): `GET /mfa/devices` lists them (`current` marks this browser), `DELETE
 * /mfa/devices/:id` forgets one (a normal session: forgetting only takes trust away; CSRF as
 * every unsafe route). Times are ISO 8601.
 */
export function trustedDeviceRoutes(ctx: AuthContext): Route[] {
  const devicesOf = () => {
    const devices = ctx.config.secondFactors?.trustedDevices
    if (!devices) throw notFound()
    return devices
  }
  const signedIn = (ex: Exchange) => {
    if (!ex.auth) throw unauthorized()
    return ex.auth
  }
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

  return [
    {
      method: 'GET',
      path: '/mfa/devices',
      async handle(ex) {
        const devices = devicesOf()
        const auth = signedIn(ex)
        const current = currentDeviceId(ctx, ex)
        const listed = await devices.list(auth.user.id)
        return json(
          listed.map((device) => ({
            id: device.id,
            label: device.label,
            createdAt: iso(device.createdAt),
            lastUsedAt: iso(device.lastUsedAt),
            expiresAt: iso(device.expiresAt),
            current: device.id === current,
          })),
        )
      },
    },
    {
      method: 'DELETE',
      path: '/mfa/devices/:id',
      async handle(ex, params) {
        const devices = devicesOf()
        const auth = signedIn(ex)
        const id = params.id ?? ''
        if (!(await devices.forget(auth.user.id, id, clientOf(ex)))) throw notFound()
        if (id === currentDeviceId(ctx, ex)) clearAuthCookies(ex, ctx.cookies, ['device'])
        return empty(204)
      },
    },
  ]
}
