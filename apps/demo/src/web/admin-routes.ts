import { definePolicies, hasRole, type PolicySubject } from '@acme/auth-core'
import { problem, ProblemError, type Auth } from '@acme/auth-server'
import express, { type Router } from 'express'
import type { AdminOverview } from '../shared/page-state.js'
import type { AuditLog } from './audit-log.js'
import type { AuthStores } from './auth-stores.js'
import type { DemoUsers } from './demo-users.js'
import { sameOriginGuard } from './same-origin-guard.js'

/** Who may do what in the web app itself (the notes API has its own rules). */
export const webPolicies = definePolicies({
  'admin.view': (user: PolicySubject) => hasRole(user, 'admin') || { allowed: false, reason: 'not_admin' },
})

/** `/admin/api/*`: the admin page's data and actions, for admins only (401 / 403 otherwise). */
export function adminRoutes(options: { auth: Auth; stores: AuthStores; users: DemoUsers; audit: AuditLog; origin: string }): Router {
  const { auth, stores, users, audit } = options
  const router = express.Router()
  router.use(auth.authorize(webPolicies, 'admin.view'), sameOriginGuard(options.origin))

  router.get('/overview', async (_req, res) => {
    const directory = users.list()
    const sessionCounts = await Promise.all(directory.map((user) => stores.sessions.listForUser(user.id).then((list) => list.length)))
    const body: AdminOverview = {
      users: directory.map((user, index) => ({ id: user.id, email: user.email, name: user.name, roles: [...user.roles], sessions: sessionCounts[index]! })),
      keys: (await stores.keyRing.list()).map((key) => ({
        kid: key.kid,
        alg: key.alg,
        status: key.status,
        createdAt: new Date(key.createdAt).toISOString(),
        activatesAt: new Date(key.activatesAt).toISOString(),
        retiresAt: key.retiresAt === null ? null : new Date(key.retiresAt).toISOString(),
      })),
      events: audit.recent(40).map((event) => ({
        type: event.type,
        at: event.at,
        outcome: event.outcome,
        ...(event.userId ? { userId: event.userId } : {}),
        ...(event.sessionId ? { sessionId: event.sessionId } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
        ...(event.ip ? { ip: event.ip } : {}),
      })),
    }
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

  router.post('/keys/rotate', async (_req, res) => {
    const key = await stores.keyRing.rotate()
    res.json({ kid: key.kid, status: key.status, activatesAt: new Date(key.activatesAt).toISOString() })
  })
  return router
}
