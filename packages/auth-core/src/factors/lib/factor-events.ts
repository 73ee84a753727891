import { createAuditEmitter } from '../../audit/audit-emitter.js'
import { noopAuditSink, type AuditSink } from '../../audit/audit-event.js'
import type { Clock } from '../../clock.js'
import { requireMethods } from '../../lib/options.js'
import { createAuthMetrics, type AuthMetrics, type MfaMethod } from '../../metrics/auth-metrics.js'
import type { RequestContext } from '../../sessions/session-manager.js'
import type { FactorCheck } from '../factor-check.js'

/** One place that audits and counts second-factor outcomes, so every factor reports alike. */
export function createFactorEvents(input: Record<string, unknown>, clock: Clock) {
  const audit = input.audit === undefined ? noopAuditSink : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const metrics =
    input.metrics === undefined
      ? createAuthMetrics()
      : requireMethods<AuthMetrics>(input.metrics, 'options.metrics', ['mfaVerification', 'mfaEnrollment', 'rateLimitRejection'])
  const emit = createAuditEmitter(audit, clock)

  return {
    emit,
    /** Audits and counts a code check's result, and passes it on. */
    checked(method: MfaMethod, userId: string, result: FactorCheck, context?: RequestContext): FactorCheck {
      metrics.mfaVerification(method, result.ok ? 'success' : result.reason)
      if (result.ok) emit({ type: 'MFA_VERIFIED', outcome: 'success', userId, data: { method } }, context)
      else {
        if (result.reason === 'rate_limited') metrics.rateLimitRejection('mfa')
        emit({ type: 'MFA_FAILED', outcome: 'failure', userId, reason: result.reason, data: { method } }, context)
      }
      return result
    },
    enrolled(method: MfaMethod, userId: string, change: 'enrolled' | 'removed', context?: RequestContext): void {
      metrics.mfaEnrollment(method, change)
      emit({ type: change === 'enrolled' ? 'MFA_ENROLLED' : 'MFA_REMOVED', outcome: 'success', userId, data: { method } }, context)
    },
  }
}
