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

  it('leaves out the IP, shortens session and family ids to fingerprints and masks email addresses; redact: false writes the event whole', () => {
    const event: AuditEvent = {
      type: 'LOGIN_SUCCEEDED', at: '2030-01-01T00:00:00.000Z', outcome: 'success', userId: 'u1', requestId: 'r1',
      ip: '203.0.113.42', sessionId: 'Wx-xhiaiYBiC5VtujTAwZ4Qk', familyId: 'fam0123456789abcdef',
      data: { to: 'alice@example.com', note: 'sent to Bob.Lee@mail.example.org today' },
    }
    const lines: string[] = []
    createJsonLinesAuditSink({ write: (line) => lines.push(line) }).emit(event)
    const line = lines[0]!
    expect(line).not.toContain('203.0.113.42')
    expect(line).not.toContain('Wx-xhiaiYBiC5VtujTAwZ4Qk')
    expect(line).not.toMatch(/alice@example\.com|Bob\.Lee@/)
    expect(JSON.parse(line)).toMatchObject({
      requestId: 'r1',
      session: 'Wx-xhiai',
      family: 'fam01234',
      data: { to: 'a…@example.com', note: 'sent to B…@mail.example.org today' },
    })
    const whole: string[] = []
    createJsonLinesAuditSink({ write: (l) => whole.push(l), redact: false }).emit(event)
    expect(JSON.parse(whole[0]!)).toMatchObject({ ip: '203.0.113.42', sessionId: 'Wx-xhiaiYBiC5VtujTAwZ4Qk' })
  })

})
