import type { Clock } from '../clock.js'
import type { AuditEvent, AuditSink } from './audit-event.js'

/** Who asked, for audit events (all optional, all coarse). */
export interface AuditContext {
  requestId?: string
  ip?: string
  userAgent?: string
}

/** Emits one event, stamped with the clock's time and the caller's context. */
export type AuditEmitter = (event: Omit<AuditEvent, 'at'>, context?: AuditContext) => void

/**
 * The one way core emits audit events: time from the injected clock, only the known context fields
 * (never whatever else a caller's object carries), and a sink that throws cannot break the
 * operation that is being audited.
 */
export function createAuditEmitter(audit: AuditSink, clock: Clock): AuditEmitter {
  return (event, context) => {
    try {
      audit.emit({
        ...(context?.requestId === undefined ? {} : { requestId: context.requestId }),
        ...(context?.ip === undefined ? {} : { ip: context.ip }),
        ...(context?.userAgent === undefined ? {} : { userAgent: context.userAgent }),
        ...event,
        at: new Date(clock.now()).toISOString(),
      })
    } catch {
      // An audit sink must never break authentication.
    }
  }
}
