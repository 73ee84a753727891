import type { RequestAuth, RequiredAuthLevel } from '@acme/auth-server/next'
import { auth as nextAuth } from '../auth.js'
import { demoServer, type DemoServer } from './demo-server.js'
import { webPolicies } from './web-policies.js'

const problemBase = 'https://acme.dev/problems/'

/** A problem+json response with the server's type URIs. */
export function problemResponse(status: number, slug: string, title: string, detail?: string): Response {
  const body = { type: `${problemBase}${slug}`, title, status, ...(detail === undefined ? {} : { detail }) }
  return Response.json(body, { status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } })
}

/**
 * `/admin/api/*`: admins only (401 signed out, 403 for members, audited as `AUTHZ_DENIED`), and
 * CSRF-checked by the package (signed token bound to the session, Origin, Fetch Metadata), as in
 * apps/demo. Runs `action` only when both pass, and, with `authLevel`, once the session has it
 * (401 `…/mfa-required` until the admin stepped up: `POST /auth/mfa/step-up`).
 */
export async function adminRoute(
  request: Request,
  action: (server: DemoServer, auth: RequestAuth) => Promise<Response>,
  options: { authLevel?: RequiredAuthLevel } = {},
): Promise<Response> {
  const server = await demoServer()
  const auth = await nextAuth.getAuth(request)
  if (!auth) return problemResponse(401, 'unauthenticated', 'Unauthorized')
  const decision = webPolicies.can({ id: auth.user.id, roles: auth.user.roles }, 'admin.view')
  if (!decision.allowed) {
    server.audit.emit({
      type: 'AUTHZ_DENIED',
      at: new Date().toISOString(),
      outcome: 'failure',
      userId: auth.user.id,
      sessionId: auth.session.id,
      reason: decision.reason,
      data: { action: 'admin.view' },
    })
    return problemResponse(403, 'forbidden', 'Forbidden', decision.reason)
  }
  const refused = (await nextAuth.csrf(request)) ?? (options.authLevel ? await nextAuth.checkAuthLevel(request, options.authLevel) : null)
  if (refused) return refused
  return action(server, auth)
}
