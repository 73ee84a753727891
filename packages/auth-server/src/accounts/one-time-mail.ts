import type { DirectoryUser } from '../core/user-directory.js'
import type { AccountKit } from './account-kit.js'
import { sendAccountMail } from './account-mail.js'

/** An account mail that carries a one-time secret: a link, or (`tokens.format: 'code'`) a 6-digit code. */
export type OneTimeMail = 'verification' | 'alreadyRegistered' | 'reset' | 'emailChange'

const minutes = (seconds: number) => Math.round(seconds / 60)

/**
 * Issues the secret for `user` and mails it to their address (for `emailChange`: to `newEmail`,
 * which the account moves to once the secret comes back). Call it off the request path.
 */
export async function mailOneTime(kit: AccountKit, kind: OneTimeMail, user: DirectoryUser, newEmail?: string): Promise<void> {
  const { config, tokens, codes } = kit
  if (kind === 'emailChange') {
    const to = newEmail!
    if (config.format === 'code') {
      const { code } = await codes.issue(user.id, to, 'email_change', config.verificationTtlSeconds)
      return sendAccountMail(config, 'emailChangeCode', to, { code, expiresInMinutes: minutes(config.verificationTtlSeconds) })
    }
    const { token, ttlSeconds } = await tokens.issueChange(user, to)
    const link = (config.links!.changeEmail ?? config.links!.verify)(token)
    return sendAccountMail(config, 'emailChange', to, { link, expiresInMinutes: minutes(ttlSeconds) })
  }
  const purpose = kind === 'verification' ? 'email_verification' : 'password_reset'
  if (config.format === 'code') {
    const ttlSeconds = purpose === 'email_verification' ? config.verificationTtlSeconds : config.resetTtlSeconds
    const { code } = await codes.issue(user.id, user.email, purpose, ttlSeconds)
    const input = { code, expiresInMinutes: minutes(ttlSeconds) }
    const template = kind === 'verification' ? 'verificationCode' : kind === 'reset' ? 'resetCode' : 'alreadyRegisteredCode'
    return sendAccountMail(config, template, user.email, input)
  }
  const { token, ttlSeconds } = await tokens.issue(user, purpose)
  const expiresInMinutes = minutes(ttlSeconds)
  const links = config.links!
  if (kind === 'verification') return sendAccountMail(config, 'verification', user.email, { link: links.verify(token), expiresInMinutes })
  if (kind === 'reset') return sendAccountMail(config, 'reset', user.email, { link: links.reset(token), expiresInMinutes })
  return sendAccountMail(config, 'alreadyRegistered', user.email, { resetLink: links.reset(token), expiresInMinutes })
}
