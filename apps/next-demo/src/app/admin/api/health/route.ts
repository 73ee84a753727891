import type { HealthSeries } from '@acme/demo/shared/page-state'
import { adminRoute } from '../../../../server/admin-api.js'

/**
 * `GET /admin/api/health`: the admin page's health panel, from apps/demo's sampler over this
 * process's own metrics (the ones `GET /metrics` serves): counts and rates, no user data.
 */
export const GET = (request: Request): Promise<Response> =>
  adminRoute(request, (server) => {
    const body: HealthSeries = server.health.series()
    return Promise.resolve(Response.json(body, { headers: { 'cache-control': 'no-store' } }))
  })

export const dynamic = 'force-dynamic'
