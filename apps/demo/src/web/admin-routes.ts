import { definePolicies, hasRole, type PolicySubject } from '@acme/auth-core'
import { problem, ProblemError, requireAuthLevel, type Auth } from '@acme/auth-server'
import express, { type Router } from 'express'
import type { HealthSeries } from '../shared/page-state.js'
import { adminOverview } from './admin-overview.js'
import type { AuditLog } from './audit-log.js'
import type { AuthStores } from './auth-stores.js'
import type { DemoUsers } from './demo-users.js'
import type { HealthSampler } from './health-sampler.js'
import { resetSecondFactors } from './reset-second-factors.js'

/** Who may do what in the web app itself (the notes API has its own rules). */
export const webPolicies = definePolicies({
  'admin.view': (user: PolicySubject) => hasRole(user, 'admin') || { allowed: false, reason: 'not_admin' },
})

/**
 * `/admin/api/*`: the admin page's data and actions, for admins only (401 / 403 otherwise), and
 * CSRF-checked by the package's guard (signed token bound to the session, Origin, Fetch Metadata).
 * Resetting a user's second factors also needs a step-up (401 `…/mfa-required` until the admin's
 * session proved two factors); the rest does not, so an admin without a factor can still work.
 */
export function adminRoutes(options: { auth: Auth; stores: AuthStores; users: DemoUsers; audit: AuditLog; health?: HealthSampler }): Router {
  const { auth, stores, users, audit, health } = options
  const router = express.Router()
  router.use(auth.authorize(webPolicies, 'admin.view'), auth.csrf())

  router.get('/overview', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await adminOverview({ stores, users, audit }))
  })

  // The health panel: counts and rates from the app's own metrics (no user data), sampled.
  router.get('/health', (_req, res) => {
    const body: HealthSeries = health?.series() ?? { sampledEverySeconds: 0, points: [] }
    res.set('Cache-Control', 'no-store').json(body)
  })

  router.post('/users/:id/revoke-sessions', async (req, res) => {
    const user = await users.findById(req.params.id)
    if (!user) throw new ProblemError(problem(404, 'not-found', 'Not Found'))
    // Cookie sessions end at once; refresh families (token strategy, native apps) can mint no more.
    await stores.sessions.revokeAllForUser(user.id)
    await stores.refreshFamilies.revokeAllForUser(user.id)
    res.status(204).end()
  })

  // Step-up: a stolen admin session alone cannot strip anyone's second factor.
  router.post('/users/:id/reset-second-factors', requireAuthLevel('mfa'), async (req: express.Request<{ id: string }>, res) => {
    const user = await users.findById(req.params.id)
    if (!user) throw new ProblemError(problem(404, 'not-found', 'Not Found'))
    res.json(await resetSecondFactors({ stores, audit }, { userId: user.id, adminId: req.auth!.user.id }))
  })

  router.post('/keys/rotate', async (_req, res) => {
    const key = await stores.keyRing.rotate()
    res.json({ kid: key.kid, status: key.status, activatesAt: new Date(key.activatesAt).toISOString() })
  })
  return router
}
