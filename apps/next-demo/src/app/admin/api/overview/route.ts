import { adminOverview } from '@acme/demo/web/admin-overview'
import { adminRoute } from '../../../../server/admin-api.js'

/** `GET /admin/api/overview`: users with their session counts, signing keys, recent audit events. */
export const GET = (request: Request): Promise<Response> =>
  adminRoute(request, async ({ stores, users, audit }) => Response.json(await adminOverview({ stores, users, audit }), { headers: { 'cache-control': 'no-store' } }))

export const dynamic = 'force-dynamic'
