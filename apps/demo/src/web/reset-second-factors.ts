import type { AuditSink } from '@acme/auth-core'
import type { AuthStores } from './auth-stores.js'

/** What {@link resetSecondFactors} removed: the methods the user had. */
export interface SecondFactorReset {
  removed: ('totp' | 'recovery' | 'passkey')[]
}

/**
 * The admin's "reset second factors" (both demos), for a user who lost the phone and the codes:
 * their authenticator app, recovery codes and passkeys go, so the password alone signs them in
 * again until they enrol a new factor. The routes guard it with a step-up (`authLevel: 'mfa'`): a
 * stolen admin session alone cannot strip anyone's second factor. Audited per method removed.
 */
export async function resetSecondFactors(
  { stores, audit }: { stores: Pick<AuthStores, 'secondFactors'>; audit: AuditSink },
  target: { userId: string; adminId: string; now?: () => number },
): Promise<SecondFactorReset> {
  const store = stores.secondFactors
  const now = target.now ?? Date.now
  const removed: SecondFactorReset['removed'] = []
  if (await store.deleteTotp(target.userId)) removed.push('totp')
  if ((await store.countRecoveryCodes(target.userId)) > 0) {
    await store.replaceRecoveryCodes(target.userId, [], now())
    removed.push('recovery')
  }
  let passkeys = 0
  for (const passkey of await store.listPasskeys(target.userId)) {
    if (await store.deletePasskey(target.userId, passkey.id)) passkeys += 1
  }
  if (passkeys > 0) removed.push('passkey')
  for (const method of removed) {
    audit.emit({
      type: 'MFA_REMOVED',
      at: new Date(now()).toISOString(),
      outcome: 'success',
      userId: target.userId,
      reason: 'admin_reset',
      data: { method, by: target.adminId, ...(method === 'passkey' ? { count: passkeys } : {}) },
    })
  }
  return { removed }
}
