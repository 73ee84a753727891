import { describe, expect, it } from 'vitest'
import { findSecretsInAuditEvents } from '@acme/auth-testing'
import type { AuditEvent } from './audit-event.js'
import { createJsonLinesAuditSink } from './json-lines-audit-sink.js'

describe('createJsonLinesAuditSink', () => {
  it('writes one pino-compatible JSON line per event (level, time in epoch ms, msg, then the event)', () => {
    const lines: string[] = []
    const sink = createJsonLinesAuditSink({ write: (line) => lines.push(line), base: { pid: 42, hostname: 'web-1' } })
    sink.emit({ type: 'LOGIN_SUCCEEDED', at: '2030-01-01T00:00:00.000Z', outcome: 'success', userId: 'u1', requestId: 'r1' })
    sink.emit({ type: 'LOGIN_FAILED', at: '2030-01-01T00:00:01.000Z', outcome: 'failure', reason: 'bad_password' })
    sink.emit({ type: 'REFRESH_TOKEN_REUSE', at: '2030-01-01T00:00:02.000Z', outcome: 'success', tokenFingerprint: 'abcdef123456' })
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true)
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(parsed[0]).toEqual({
      pid: 42,
      hostname: 'web-1',
      level: 30,
      time: Date.UTC(2030, 0, 1),
      msg: 'LOGIN_SUCCEEDED',
      type: 'LOGIN_SUCCEEDED',
      at: '2030-01-01T00:00:00.000Z',
      outcome: 'success',
      userId: 'u1',
      requestId: 'r1',
    })
    expect(parsed.map((p) => p.level)).toEqual([30, 40, 40])
    expect(findSecretsInAuditEvents(parsed as unknown as AuditEvent[])).toEqual([])
  })

  it('never throws, even when the writer does', () => {
    const sink = createJsonLinesAuditSink({
      write: () => {
        throw new Error('disk full')
      },
    })
    expect(() => sink.emit({ type: 'LOGOUT', at: '2030-01-01T00:00:00.000Z', outcome: 'success' })).not.toThrow()
    expect(() => createJsonLinesAuditSink({} as never)).toThrow(/options\.write/)
  })
})
