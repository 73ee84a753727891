import type { AuditEvent, AuditEventType, AuditSink } from './audit-event.js'

/** pino's numeric levels. */
export type PinoLevel = 30 | 40 | 50

/** Options of {@link createJsonLinesAuditSink}. */
export interface JsonLinesAuditSinkOptions {
  /** Receives one JSON line (with its trailing `\n`) per event, e.g. `(line) => process.stdout.write(line)`. */
  write: (line: string) => void
  /** Fields added to every line, e.g. `{ pid: process.pid, hostname: os.hostname() }` as pino does. @default {} */
  base?: Readonly<Record<string, string | number | boolean>>
  /** The level of an event. @default 40 (warn) for failures and REFRESH_TOKEN_REUSE, 30 (info) otherwise */
  level?: (event: AuditEvent) => PinoLevel
  /**
   * What a log line may say, since logs travel further than the audit store: the client's IP is
   * left out, session and family ids become short fingerprints (`session`, `family`: their first
   * 8 characters, enough to follow one session through the logs), and an email address anywhere in
   * the event is masked (`a…@example.com`). `false` writes events whole (a private audit store).
   * @default true
   */
  redact?: boolean
}

const emailPattern = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g

/** A JSON-safe copy with every email address masked. */
function maskEmails(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('@') ? value.replace(emailPattern, '$1…@$2') : value
  if (Array.isArray(value)) return value.map(maskEmails)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskEmails(item)]))
  }
  return value
}

/** The event as a log line may show it (see `redact`). */
function redacted(event: AuditEvent): Record<string, unknown> {
  const { ip: _ip, sessionId, familyId, ...rest } = event as AuditEvent & { familyId?: string }
  return {
    ...(maskEmails(rest) as Record<string, unknown>),
    ...(sessionId === undefined ? {} : { session: sessionId.slice(0, 8) }),
    ...(familyId === undefined ? {} : { family: familyId.slice(0, 8) }),
  }
}

const alarming = new Set<AuditEventType>(['REFRESH_TOKEN_REUSE'])
const defaultLevel = (event: AuditEvent): PinoLevel => (event.outcome === 'failure' || alarming.has(event.type) ? 40 : 30)

/**
 * An {@link AuditSink} that writes JSON lines in pino's shape (`level`, `time` in epoch ms, `msg`
 * = the event type, then the event's fields), so pino-pretty, log shippers and pino's own
 * transports read them. `emit` never throws: a failing writer loses the line, not the request.
 * Lines carry the request id and a short session fingerprint, never an IP or a full email
 * (`redact`); tokens, codes and passwords are never in an audit event to begin with.
 *
 * @default { base: {}, level: warn for failures, info otherwise, redact: true }
 * @example
 * ```ts
 * import { createJsonLinesAuditSink } from '@acme/auth-core'
 *
 * const audit = createJsonLinesAuditSink({ write: (line) => process.stdout.write(line) })
 * // {"level":30,"time":1893456000000,"msg":"LOGIN_SUCCEEDED","type":"LOGIN_SUCCEEDED","at":"2030-01-01T00:00:00.000Z",…}
 * ```
 */
export function createJsonLinesAuditSink(options: JsonLinesAuditSinkOptions): AuditSink {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object')
  if (typeof options.write !== 'function') throw new TypeError('options.write must be a function')
  if (options.base !== undefined && (typeof options.base !== 'object' || options.base === null)) {
    throw new TypeError('options.base must be an object')
  }
  if (options.level !== undefined && typeof options.level !== 'function') throw new TypeError('options.level must be a function')
  if (options.redact !== undefined && typeof options.redact !== 'boolean') throw new TypeError('options.redact must be a boolean')
  const { write, base = {}, level = defaultLevel, redact = true } = options
  return Object.freeze({
    emit(event: AuditEvent) {
      try {
        const time = Date.parse(event.at)
        write(`${JSON.stringify({ ...base, level: level(event), time, msg: event.type, ...(redact ? redacted(event) : event) })}\n`)
      } catch {
        // Audit must not break the request it describes (AuditSink contract).
      }
    },
  })
}
