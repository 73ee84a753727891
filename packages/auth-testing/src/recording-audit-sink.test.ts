import type { AuditEvent } from '@acme/auth-core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  assertNoSecretsInRecordedAuditEvents,
  createRecordingAuditSink,
  findSecretsInAuditEvents,
  recordedAuditEvents,
  resetAuditRegistry,
  trackSecrets,
} from './recording-audit-sink.js'

const event = (extra: Partial<AuditEvent> = {}): AuditEvent => ({
  type: 'LOGIN_FAILED',
  at: '2030-01-01T00:00:00.000Z',
  outcome: 'failure',
  ...extra,
})

afterEach(() => resetAuditRegistry())

describe('createRecordingAuditSink', () => {
  it('records events per sink and in the process-wide registry', () => {
    const a = createRecordingAuditSink()
    const b = createRecordingAuditSink()
    a.emit(event({ reason: 'bad_password' }))
    b.emit(event({ type: 'LOGOUT', outcome: 'success' }))
    expect(a.events).toHaveLength(1)
    expect(b.ofType('LOGOUT')).toHaveLength(1)
    expect(recordedAuditEvents()).toHaveLength(2)
    a.clear()
    expect(a.events).toHaveLength(0)
    expect(recordedAuditEvents()).toHaveLength(2)
  })
})

describe('findSecretsInAuditEvents', () => {
  it('finds opaque tokens, JWTs, password hashes and given secrets, and passes clean events', () => {
    const opaque = `${'a'.repeat(22)}.${'B'.repeat(43)}`
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl'
    const events = [
      event({ tokenFingerprint: 'abcdef123456', userId: 'u1', requestId: 'req-1' }),
      event({ reason: `token ${opaque}` }),
      event({ data: { header: `Bearer ${jwt}` } }),
      event({ data: { stored: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' } }),
      event({ userAgent: 'typed hunter22 by mistake' }),
    ]
    const findings = findSecretsInAuditEvents(events, ['hunter22'])
    expect(findings.map((f) => [f.index, f.path, f.kind])).toEqual([
      [1, 'reason', 'opaque_token'],
      [2, 'data.header', 'jwt'],
      [3, 'data.stored', 'password_hash'],
      [4, 'userAgent', 'known_secret'],
    ])
    // The report never repeats a whole secret.
    expect(JSON.stringify(findings)).not.toContain('hunter22')
    expect(JSON.stringify(findings)).not.toContain(opaque)
  })

  it('assertNoSecretsInRecordedAuditEvents throws for a tracked secret seen in any sink', () => {
    trackSecrets('correct horse battery staple')
    createRecordingAuditSink().emit(event({ reason: 'correct horse battery staple' }))
    expect(() => assertNoSecretsInRecordedAuditEvents()).toThrow(/known_secret/)
    resetAuditRegistry()
    expect(() => assertNoSecretsInRecordedAuditEvents()).not.toThrow()
  })
})
