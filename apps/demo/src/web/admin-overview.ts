import type { AdminOverview } from '../shared/page-state.js'
import type { AuditLog } from './audit-log.js'
import type { AuthStores } from './auth-stores.js'
import type { DemoUsers } from './demo-users.js'

/** The methods a user can answer a second-factor challenge with (an active TOTP, unused recovery codes, passkeys). */
async function secondFactorsOf(stores: AuthStores, userId: string): Promise<string[]> {
  const store = stores.secondFactors
  const [totp, codes, passkeys] = await Promise.all([store.getTotp(userId), store.countRecoveryCodes(userId), store.listPasskeys(userId)])
  return [...(totp?.status === 'active' ? ['totp'] : []), ...(codes > 0 ? ['recovery'] : []), ...(passkeys.length > 0 ? ['passkey'] : [])]
}

/** The admin page's data: users with their session counts and second factors, signing keys, recent audit events (both demos). */
export async function adminOverview({ stores, users, audit }: { stores: AuthStores; users: DemoUsers; audit: AuditLog }): Promise<AdminOverview> {
  const directory = await users.list()
  const [sessionCounts, factors] = await Promise.all([
    Promise.all(directory.map((user) => stores.sessions.listForUser(user.id).then((list) => list.length))),
    Promise.all(directory.map((user) => secondFactorsOf(stores, user.id))),
  ])
  return {
    users: directory.map((user, index) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      roles: [...user.roles],
      sessions: sessionCounts[index]!,
      secondFactors: factors[index]!,
    })),
    keys: (await stores.keyRing.list()).map((key) => ({
      kid: key.kid,
      alg: key.alg,
      status: key.status,
      createdAt: new Date(key.createdAt).toISOString(),
      activatesAt: new Date(key.activatesAt).toISOString(),
      retiresAt: key.retiresAt === null ? null : new Date(key.retiresAt).toISOString(),
    })),
    events: audit.recent(40).map((event) => ({
      type: event.type,
      at: event.at,
      outcome: event.outcome,
      ...(event.userId ? { userId: event.userId } : {}),
      ...(event.sessionId ? { sessionId: event.sessionId } : {}),
      ...(event.reason ? { reason: event.reason } : {}),
      ...(event.ip ? { ip: event.ip } : {}),
    })),
  }
}
