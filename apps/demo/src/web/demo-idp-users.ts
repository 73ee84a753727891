import type { OAuthUsers } from '@acme/auth-server'
import type { DemoUsers } from './demo-users.js'

/**
 * Who a demo IdP sign-in is (both demos). The demo IdP is first-party and asserts verified emails
 * of the same people, so a verified email links to the seeded account; never an unverified one.
 */
export function demoIdpUsers(users: DemoUsers): OAuthUsers {
  return {
    findOrCreate: async (identity) => {
      if (identity.email === null || !identity.emailVerified) return null
      const user = await users.findByEmail(identity.email)
      // Recorded, so the account page lists "demo" as a way to sign in (and can unlink it).
      if (user && !(await users.listAccounts(user.id)).some((account) => account.provider === 'demo')) await users.link(user.id, 'demo', identity.sub)
      return user
    },
  }
}
