import type { AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { PolicyDecisionRecord } from './policies.js'

/**
 * An `onDecision` hook for {@link definePolicies} that emits `AUTHZ_DENIED` for every denial (and,
 * with `allowed: true`, an `AUTHZ_ALLOWED` for every grant too).
 *
 * @default { clock: systemClock, allowed: false }
 * @example
 * ```ts
 * const policies = definePolicies(rules, { onDecision: auditPolicyDecisions({ sink: audit }) })
 * ```
 */
export function auditPolicyDecisions(options: {
  sink: AuditSink
  clock?: Clock
  allowed?: boolean
}): (decision: PolicyDecisionRecord) => void {
  const input = requireObject(options, 'options')
  const sink = requireMethods<AuditSink>(input.sink, 'options.sink', ['emit'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const includeAllowed = input.allowed === true
  return (decision) => {
    if (decision.allowed && !includeAllowed) return
    sink.emit({
      type: decision.allowed ? 'AUTHZ_ALLOWED' : 'AUTHZ_DENIED',
      at: new Date(clock.now()).toISOString(),
      outcome: decision.allowed ? 'success' : 'failure',
      ...(decision.subjectId === '' ? {} : { userId: decision.subjectId }),
      reason: decision.reason,
      data: { action: decision.action, resourceId: decision.resourceId ?? null },
    })
  }
}
