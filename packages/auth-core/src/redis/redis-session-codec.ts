import type { SessionRecord } from '../sessions/session.js'
import type { SessionPatch } from '../sessions/session-store.js'

const numberFields = ['createdAt', 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt', 'authenticatedAt'] as const

/** Flattens a record or patch into HSET field/value arguments (`data` as JSON). */
export function encodeSessionFields(record: Partial<SessionRecord> | SessionPatch): string[] {
  const out: string[] = []
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue
    out.push(field, typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value))
  }
  return out
}

/** Rebuilds a record from HGETALL; `null` when the hash is missing or not one of ours. */
export function decodeSessionRecord(id: string, fields: Record<string, string>): SessionRecord | null {
  if (fields.userId === undefined || fields.secretHash === undefined) return null
  const numbers: Partial<Record<(typeof numberFields)[number], number>> = {}
  for (const field of numberFields) {
    const value = Number(fields[field])
    if (!Number.isFinite(value)) return null
    numbers[field] = value
  }
  let data: SessionRecord['data']
  try {
    data = JSON.parse(fields.data ?? '{}') as SessionRecord['data']
  } catch {
    return null
  }
  const record: SessionRecord = {
    id,
    userId: fields.userId,
    secretHash: fields.secretHash,
    createdAt: numbers.createdAt!,
    lastSeenAt: numbers.lastSeenAt!,
    idleExpiresAt: numbers.idleExpiresAt!,
    absoluteExpiresAt: numbers.absoluteExpiresAt!,
    authLevel: fields.authLevel ?? 'password',
    authenticatedAt: numbers.authenticatedAt!,
    data,
  }
  if (fields.userAgent !== undefined) record.userAgent = fields.userAgent
  if (fields.ip !== undefined) record.ip = fields.ip
  return record
}
