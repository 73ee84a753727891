import { createJsonLinesAuditSink, type AuditEvent, type AuditSink } from '@acme/auth-core'
import { closeSync, openSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { UsageError } from './cli-config.js'

/** The CLI's audit trail for one command: where its lines go, and how to let go of the file. */
export interface CliAudit {
  sink: AuditSink
  /** Emits one event the CLI records itself (a store call with no core manager around it). */
  emit(event: Omit<AuditEvent, 'at'>): void
  close(): void
}

/**
 * The same audit events the app records, as pino-compatible JSON lines redacted like core's
 * JSON-lines sink (no IP, no full email, 8-character session and family fingerprints). Each line
 * says `"actor":"cli"` with the process's `pid` and `hostname`, so the CLI's changes stand apart
 * from the app's in one log. Lines go to `file` (appended, created `0600`) or, without one, to
 * `stderr`. A file that cannot be opened is a usage error before anything is changed: an operator
 * who asked for an audit trail does not get a change without it.
 */
export function openCliAudit(file: string | undefined, stderr: (line: string) => void): CliAudit {
  let write: (line: string) => void
  let close = () => {}
  if (file === undefined) write = (line) => stderr(line.endsWith('\n') ? line.slice(0, -1) : line)
  else {
    let fd: number
    try {
      fd = openSync(file, 'a', 0o600)
    } catch (error) {
      throw new UsageError(`cannot open the audit log ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
    write = (line) => void writeSync(fd, line)
    close = () => closeSync(fd)
  }
  const sink = createJsonLinesAuditSink({ write, base: { pid: process.pid, hostname: hostname(), actor: 'cli' } })
  return {
    sink,
    emit: (event) => sink.emit({ ...event, at: new Date().toISOString() }),
    close,
  }
}
