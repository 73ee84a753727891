import type { Policies, PolicyResourceArgs, PolicyResult } from '@acme/auth-core'
import type { Request, RequestHandler } from 'express'
import type { AuthCore } from '../core/create-auth-core.js'
import { ExpressExchange } from './express-exchange.js'
import { forbidden, notFound, unauthorized } from '../errors/problem-error.js'

type AnyRules = Record<string, (subject: never, resource: never) => PolicyResult>

/** Loads the resource an action is about; `null` or `undefined` answers 404. */
export type ResourceLoader<Rules extends AnyRules, A extends keyof Rules & string> = (
  req: Request,
) => Promise<PolicyResourceArgs<Rules[A]>[0] | null | undefined> | PolicyResourceArgs<Rules[A]>[0] | null | undefined

/**
 * `auth.authorize(policies, action, loadResource?)`: decides with core policies for `req.auth.user`,
 * puts the loaded resource on `res.locals.resource`, and answers 401 (anonymous), 404 (no such
 * resource) or 403 problem+json with the policy's reason. Every denial is audited (`AUTHZ_DENIED`).
 */
export function authorizeGuard<Rules extends AnyRules, A extends keyof Rules & string>(
  core: AuthCore,
  policies: Policies<Rules>,
  action: A,
  loadResource?: ResourceLoader<Rules, A>,
): RequestHandler {
  return async (req, res, next) => {
    if (req.auth === undefined) throw new Error('req.auth is missing: mount auth.middleware() before this guard')
    const auth = req.auth
    if (!auth) throw unauthorized()
    const subject = { id: auth.user.id, roles: auth.user.roles }
    let args: unknown[] = []
    if (loadResource) {
      const resource = await loadResource(req)
      if (resource === null || resource === undefined) throw notFound()
      ;(res.locals as { resource?: unknown }).resource = resource
      args = [resource]
    }
    const can = policies.can.bind(policies) as (subject: unknown, action: string, ...resource: unknown[]) => { allowed: boolean; reason: string }
    const decision = can(subject, action, ...args)
    if (decision.allowed) return next()
    core.audit(new ExpressExchange(req, res), {
      type: 'AUTHZ_DENIED',
      outcome: 'failure',
      userId: auth.user.id,
      sessionId: auth.session.id,
      reason: decision.reason,
      data: { action },
    })
    throw forbidden('forbidden', decision.reason)
  }
}
