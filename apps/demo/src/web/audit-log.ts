import { createJsonLinesAuditSink, type AuditEvent, type AuditSink } from '@acme/auth-core'

/** An audit sink that logs JSON lines and keeps the most recent events for the admin page. */
export interface AuditLog extends AuditSink {
  recent(limit?: number): AuditEvent[]
}

export function createAuditLog(options: { capacity?: number; write?: (line: string) => void } = {}): AuditLog {
  const capacity = options.capacity ?? 200
  const events: AuditEvent[] = []
  const lines = options.write ? createJsonLinesAuditSink({ write: options.write, base: { app: 'acme-demo' } }) : undefined
  return {
    emit(event) {
      events.push(event)
      if (events.length > capacity) events.shift()
      lines?.emit(event)
    },
    recent(limit = 50) {
      return events.slice(-limit).reverse()
    },
  }
}
