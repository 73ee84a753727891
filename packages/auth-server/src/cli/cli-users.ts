import { createLoginLimiter } from '@acme/auth-core'
import type { Command } from './cli-command.js'

/**
 * `users unlock --user <email>`: clears the sign-in failures and lock of one account from any IP
 * (core's `LoginLimiter.reset`), in the rate-limit store the app's login limiter counts in. The
 * limiter hashes the account as it normalizes it, so any spelling the user typed works; the email
 * is not echoed back.
 */
export const unlockUser: Command = async ({ backend, need, print }) => {
  const account = need('user')
  await createLoginLimiter({ store: backend.rateLimits }).reset(account)
  print('unlocked: the account’s sign-in failures and lock are cleared', { unlocked: true })
  return 0
}
