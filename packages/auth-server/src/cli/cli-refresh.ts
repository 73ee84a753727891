import type { Command } from './cli-command.js'

/**
 * `refresh revoke --user`: revokes every active refresh family of a user, as
 * `refreshFamilies.revokeAllForUser` does in the app (reason `user`). Their refresh tokens stop
 * rotating at once; access tokens already issued live out their short lifetime. Each family gets
 * the `REFRESH_FAMILY_REVOKED` event the app records (reason `user`).
 */
export const revokeRefreshFamilies: Command = async ({ audit, backend, need, print }) => {
  const userId = need('user')
  const families = await backend.refresh.revokeAllForUser(userId, Date.now(), 'user')
  for (const family of families) {
    audit.emit({ type: 'REFRESH_FAMILY_REVOKED', outcome: 'success', familyId: family.id, userId: family.userId, sessionId: family.sessionId, reason: 'user' })
  }
  print(`revoked ${families.length} refresh famil${families.length === 1 ? 'y' : 'ies'} of ${userId}`, { revoked: families.length })
  return 0
}
