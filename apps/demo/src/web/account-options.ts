import { createOfflineBreachedPasswords, createPasswordPolicy, type Mailer } from '@acme/auth-core'
import type { AuthAccountsOptions } from '@acme/auth-server'

/**
 * The demo's `accounts` options, shared by apps/demo and apps/next-demo: its pages read `?token=`
 * and post it to `/auth/email/verify` or `/auth/password/reset`. Without a mailer the routes that
 * mail (sign-up, resend, forgot, email change) do not exist.
 */
export function demoAccountOptions(appOrigin: string, mailer: Mailer | undefined): AuthAccountsOptions {
  return {
    ...(mailer ? { mailer } : {}),
    links: {
      verify: (token) => `${appOrigin}/verify-email?token=${encodeURIComponent(token)}`,
      reset: (token) => `${appOrigin}/reset-password?token=${encodeURIComponent(token)}`,
    },
    // Offline, so the demo runs without internet; an app online would use createPwnedPasswordsRange().
    passwordPolicy: createPasswordPolicy({ breached: createOfflineBreachedPasswords() }),
    mail: { appName: 'Acme Auth demo' },
  }
}
