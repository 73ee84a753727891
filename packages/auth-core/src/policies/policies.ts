import { AuthError } from '../errors.js'

/** Who asks. Coarse roles (admin, member, …) ride on the subject; fine rules live in policies. */
export interface PolicySubject {
  id: string
  roles?: readonly string[]
}

/** An authorization decision, always with a reason (shown to operators, and to users if you like). */
export interface PolicyDecision {
  allowed: boolean
  reason: string
}

/** What a rule returns: a boolean (reason `'allowed'` / `'denied'`) or a decision with its own reason. */
export type PolicyResult = boolean | PolicyDecision

/** A rule for one action: the subject, and the resource acted on (omit it for resource-less actions). */
export type PolicyRule<S extends PolicySubject = PolicySubject, R = never> = (subject: S, resource: R) => PolicyResult

/** Every decision, for audit: who, what, on which resource, the outcome and why. */
export interface PolicyDecisionRecord {
  subjectId: string
  action: string
  resourceId?: string
  allowed: boolean
  reason: string
}

// `never` in the parameter positions accepts a rule over any subject and resource type.
type AnyRules = Record<string, (subject: never, resource: never) => PolicyResult>

/** The resource argument of `can` for action `A`: required when the rule takes one, absent otherwise. */
export type PolicyResourceArgs<Rule> = Rule extends (subject: never) => PolicyResult
  ? []
  : Rule extends (subject: never, resource: infer R) => PolicyResult
    ? [resource: R]
    : never

/** The subject type of a rule (its first parameter), {@link PolicySubject} for a rule that ignores it. */
export type PolicySubjectOf<Rule> = Rule extends (subject: infer S, ...rest: never[]) => PolicyResult
  ? unknown extends S
    ? PolicySubject
    : S
  : PolicySubject

/** The checker {@link definePolicies} returns. */
export interface Policies<Rules extends AnyRules> {
  /** Decides `action` for `subject` on `resource`. Never throws: a throwing rule denies (`policy_error`). */
  can<A extends keyof Rules & string>(
    subject: PolicySubjectOf<Rules[A]>,
    action: A,
    ...resource: PolicyResourceArgs<Rules[A]>
  ): PolicyDecision
  /** Like `can`, but throws when denied (for guards that turn it into a 403). */
  assert<A extends keyof Rules & string>(
    subject: PolicySubjectOf<Rules[A]>,
    action: A,
    ...resource: PolicyResourceArgs<Rules[A]>
  ): void
  /** The action names, for checks and admin screens. */
  readonly actions: readonly (keyof Rules & string)[]
}

/** Options of {@link definePolicies}. */
export interface DefinePoliciesOptions {
  /** Receives every decision (allowed and denied), e.g. to audit. Must not throw. @default none */
  onDecision?: (decision: PolicyDecisionRecord) => void
  /** How to name a resource in decision records. @default resource.id when it is a string or number */
  resourceId?: (resource: unknown) => string | undefined
}

/**
 * Thrown by {@link Policies.assert} when a decision denies: an {@link AuthError} with code
 * `'ERR_POLICY_DENIED'` (answered 403 by the server), carrying the action and the decision.
 *
 * @example
 * ```ts
 * try {
 *   policies.assert(bob, 'note.update', note)
 * } catch (error) {
 *   if (isAuthError(error, 'ERR_POLICY_DENIED')) console.log('denied')
 * }
 * ```
 */
export class PolicyDeniedError extends AuthError {
  declare readonly code: 'ERR_POLICY_DENIED'
  readonly decision: PolicyDecision
  readonly action: string

  constructor(action: string, decision: PolicyDecision) {
    super('ERR_POLICY_DENIED', `Not allowed to ${action}: ${decision.reason}`)
    this.action = action
    this.decision = decision
  }
}

/**
 * Fine-grained authorization as named rules. Actions and resource types are inferred from the
 * definition, so `can(user, 'note.update', note)` is checked by the compiler, and every answer
 * carries a reason.
 *
 * @default options {} (no hook)
 * @example
 * ```ts
 * import { definePolicies, hasRole } from '@acme/auth-core'
 *
 * type User = { id: string; roles: string[] }
 * type Note = { id: string; ownerId: string }
 *
 * const policies = definePolicies({
 *   'note.update': (user: User, note: Note) =>
 *     note.ownerId === user.id || hasRole(user, 'admin') || { allowed: false, reason: 'not_owner' },
 *   'admin.view': (user: User) => hasRole(user, 'admin'),
 * })
 * policies.can(bob, 'note.update', alicesNote) // { allowed: false, reason: 'not_owner' }
 * policies.can(alice, 'admin.view')            // { allowed: true, reason: 'allowed' }
 * ```
 */
export function definePolicies<const Rules extends AnyRules>(rules: Rules, options: DefinePoliciesOptions = {}): Policies<Rules> {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new TypeError('rules must be an object')
  for (const [action, rule] of Object.entries(rules)) {
    if (typeof rule !== 'function') throw new TypeError(`rules['${action}'] must be a function`)
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object')
  const { onDecision, resourceId = defaultResourceId } = options
  if (onDecision !== undefined && typeof onDecision !== 'function') throw new TypeError('options.onDecision must be a function')
  if (typeof resourceId !== 'function') throw new TypeError('options.resourceId must be a function')
  const table = new Map<string, (subject: unknown, resource: unknown) => PolicyResult>(
    Object.entries(rules) as [string, (subject: unknown, resource: unknown) => PolicyResult][],
  )

  const decide = (subject: PolicySubject, action: string, resource: unknown): PolicyDecision => {
    const rule = table.get(action)
    let decision: PolicyDecision
    if (rule === undefined) decision = { allowed: false, reason: 'unknown_action' }
    else if (typeof subject !== 'object' || subject === null || typeof subject.id !== 'string') {
      decision = { allowed: false, reason: 'no_subject' }
    } else {
      try {
        decision = normalize(rule(subject, resource))
      } catch {
        // Fail closed: a bug in a rule must never read as permission.
        decision = { allowed: false, reason: 'policy_error' }
      }
    }
    if (onDecision) {
      const id = resource === undefined ? undefined : resourceId(resource)
      try {
        onDecision({
          subjectId: typeof subject?.id === 'string' ? subject.id : '',
          action,
          ...(id === undefined ? {} : { resourceId: id }),
          allowed: decision.allowed,
          reason: decision.reason,
        })
      } catch {
        // The hook is for observation; its failure must not change the decision.
      }
    }
    return decision
  }

  return Object.freeze({
    actions: Object.freeze(Object.keys(rules)),
    can: (subject: PolicySubject, action: string, ...resource: unknown[]) => decide(subject, action, resource[0]),
    assert(subject: PolicySubject, action: string, ...resource: unknown[]) {
      const decision = decide(subject, action, resource[0])
      if (!decision.allowed) throw new PolicyDeniedError(action, decision)
    },
  }) as Policies<Rules>
}

/**
 * Whether `subject` has `role`.
 *
 * @example
 * ```ts
 * hasRole({ id: 'u1', roles: ['admin'] }, 'admin') // true
 * ```
 */
export function hasRole(subject: PolicySubject | null | undefined, role: string): boolean {
  return Array.isArray(subject?.roles) && subject.roles.includes(role)
}

function normalize(result: PolicyResult): PolicyDecision {
  if (result === true) return { allowed: true, reason: 'allowed' }
  if (result === false) return { allowed: false, reason: 'denied' }
  if (typeof result === 'object' && result !== null && typeof result.allowed === 'boolean') {
    return { allowed: result.allowed, reason: typeof result.reason === 'string' && result.reason !== '' ? result.reason : result.allowed ? 'allowed' : 'denied' }
  }
  return { allowed: false, reason: 'policy_error' }
}

function defaultResourceId(resource: unknown): string | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined
  const id = (resource as { id?: unknown }).id
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined
}
