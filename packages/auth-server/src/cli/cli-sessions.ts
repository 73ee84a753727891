import { createSessionManager } from '@acme/auth-core'
import type { Command } from './cli-command.js'

/** `sessions list --user`: a user's live sessions, most recently seen first. */
export const listSessions: Command = async ({ backend, need, print }) => {
  const userId = need('user')
  const list = await createSessionManager({ store: backend.sessions }).listForUser(userId)
  const rows = list.map((s) => ({
    id: s.id,
    createdAt: new Date(s.createdAt).toISOString(),
    lastSeenAt: new Date(s.lastSeenAt).toISOString(),
    userAgent: s.userAgent ?? null,
    ip: s.ip ?? null,
  }))
  print(rows.map((r) => `${r.id}  last seen ${r.lastSeenAt}  ${r.userAgent ?? ''}`).join('\n') || 'no sessions', rows)
  return 0
}

/**
 * `sessions revoke --id`: ends one session; exit 3 when there is no such session. Its
 * `SESSION_REVOKED` (reason `admin`) is the app's. No metric: the CLI's process has no meter.
 */
export const revokeSession: Command = async ({ audit, backend, need, print }) => {
  const id = need('id')
  const revoked = await createSessionManager({ store: backend.sessions, audit: audit.sink }).revoke(id)
  print(revoked ? `revoked ${id}` : `no session ${id}`, { revoked })
  return revoked ? 0 : 3
}

/** `sessions revoke-all --user`: ends every session of a user (`SESSIONS_REVOKED_ALL`, reason `admin`). */
export const revokeAllSessions: Command = async ({ audit, backend, need, print }) => {
  const userId = need('user')
  const count = await createSessionManager({ store: backend.sessions, audit: audit.sink }).revokeAllForUser(userId)
  print(`revoked ${count} session(s) of ${userId}`, { revoked: count })
  return 0
}
