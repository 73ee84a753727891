import { describe, expect, it } from 'vitest'
import type { SessionRecord } from '../sessions/session.js'
import { decodeSession, encodeSession } from './redis-session-codec.js'

const record: SessionRecord = {
  id: 'abcdefgh0123',
  userId: 'user-1',
  secretHash: 'hash',
  createdAt: 1_000,
  lastSeenAt: 2_000,
  idleExpiresAt: 3_000,
  absoluteExpiresAt: 4_000,
  authLevel: 'password',
  authenticatedAt: 1_000,
  data: {},
}

describe('redis session codec', () => {
  it('round-trips a record; defaults (authLevel password, empty data) are left out of the JSON', () => {
    const json = encodeSession(record)
    expect(JSON.parse(json)).toEqual({ u: 'user-1', h: 'hash', c: 1_000, l: 2_000, ie: 3_000, ae: 4_000, at: 1_000 })
    const decoded = decodeSession(record.id, json)
    expect(decoded).toEqual(record)
    // No optional key set to undefined: `'userAgent' in session` says whether one was recorded.
    expect(Object.keys(decoded!)).not.toContain('userAgent')
    expect(Object.keys(decoded!)).not.toContain('ip')
  })

  it('round-trips the optional fields, another auth level and the data bag (numbers unrounded)', () => {
    const full: SessionRecord = { ...record, userAgent: 'Mozilla/5.0', ip: '192.0.2.1', authLevel: 'mfa', data: { n: 0.1 + 0.2, list: [1, 'a'] } }
    expect(decodeSession(full.id, encodeSession(full))).toEqual(full)
  })

  it('a data bag stored as null reads as empty data, as before the decoder skipped parsing "{}"', () => {
    const json = JSON.stringify({ ...JSON.parse(encodeSession(record)), d: null })
    expect(decodeSession(record.id, json)).toEqual(record)
  })

  it('a missing key is null', () => {
    expect(decodeSession(record.id, null)).toBeNull()
  })

  it.each([
    ['not JSON', '{'],
    ['a data bag that is not JSON', JSON.stringify({ ...JSON.parse(encodeSession(record)), d: '{' })],
    ['no user', JSON.stringify({ h: 'hash', c: 1, l: 1, ie: 1, ae: 1, at: 1 })],
    ['a numeric hash', JSON.stringify({ u: 'user-1', h: 1, c: 1, l: 1, ie: 1, ae: 1, at: 1 })],
    ['a time as a string', JSON.stringify({ u: 'user-1', h: 'hash', c: '1', l: 1, ie: 1, ae: 1, at: 1 })],
    ['a time missing', JSON.stringify({ u: 'user-1', h: 'hash', c: 1, l: 1, ie: 1, ae: 1 })],
    ['a time that is null (JSON for Infinity)', JSON.stringify({ u: 'user-1', h: 'hash', c: 1, l: 1, ie: null, ae: 1, at: 1 })],
    ['an array', '[]'],
  ])('a foreign value (%s) is null, never a half-read record', (_, json) => {
    expect(decodeSession(record.id, json)).toBeNull()
  })
})
