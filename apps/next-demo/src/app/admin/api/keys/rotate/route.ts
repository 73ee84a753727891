import { adminRoute } from '../../../../../server/admin-api.js'

/** Rotates the signing keys now: the new key is published first and signs once JWKS caches saw it. */
export const POST = (request: Request): Promise<Response> =>
  adminRoute(request, async ({ stores }) => {
    const key = await stores.keyRing.rotate()
    return Response.json({ kid: key.kid, status: key.status, activatesAt: new Date(key.activatesAt).toISOString() })
  })

export const dynamic = 'force-dynamic'
