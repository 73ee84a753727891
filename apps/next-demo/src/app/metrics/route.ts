import { adminRoute } from '../../server/admin-api.js'

/**
 * `GET /metrics`: the Prometheus text format of this process's auth metrics, as apps/demo serves
 * it. They describe every user's traffic, so admins only (401 signed out, 403 for members). A
 * Prometheus scraper would instead read `metrics.response()` on a private port of its own.
 */
export const GET = (request: Request): Promise<Response> => adminRoute(request, (server) => server.metrics.response())

export const dynamic = 'force-dynamic'
