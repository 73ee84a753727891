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
}

const alarming = new Set<AuditEventType>(['REFRESH_TOKEN_REUSE'])
const defaultLevel = (event: AuditEvent): PinoLevel => (event.outcome === 'failure' || alarming.has(event.type) ? 40 : 30)

/**
 * An {@link AuditSink} that writes JSON lines in pino's shape (`level`, `time` in epoch ms, `msg`
 * = the event type, then the event's fields), so pino-pretty, log shippers and pino's own
 * transports read them. `emit` never throws: a failing writer loses the line, not the request.
 *
 * @default { base: {}, level: warn for failures, info otherwise }
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
  const { write, base = {}, level = defaultLevel } = options
  return Object.freeze({
    emit(event: AuditEvent) {
      try {
        const time = Date.parse(event.at)
        write(`${JSON.stringify({ ...base, level: level(event), time, msg: event.type, ...event })}\n`)
      } catch {
        // Audit must not break the request it describes (AuditSink contract).
      }
    },
  })
}
