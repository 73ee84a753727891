import type { MailMessage } from './mailer.js'

/** What every account message knows: the recipient and the app's name. */
export interface MailContext {
  to: string
  /** The app's name as users know it. @default 'your account' wording without a name */
  appName?: string
}

/**
 * The account messages, one plain function per kind: each returns the subject, text and
 * (optionally) HTML. Replace any of them (to localise, to brand) by passing your own; the links
 * come ready-made from the app's `links` option.
 */
export interface MailTemplates {
  /** A new address to confirm (sign-up, resend). */
  verification(input: MailContext & { link: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** Someone signed up with an address that already has an account (no enumeration: they get this instead). */
  alreadyRegistered(input: MailContext & { resetLink: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** A password reset was asked for. */
  reset(input: MailContext & { link: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** The password was changed or reset: tell the owner, in case it was not them. */
  passwordChanged(input: MailContext): Omit<MailMessage, 'to'>
  /** The account's address is being changed: the OLD address hears of it (it stays until the new one is verified). */
  emailChangeNotice(input: MailContext & { newEmail: string }): Omit<MailMessage, 'to'>
  /** To the NEW address of an email change: confirming it (the link) switches the account to it. */
  emailChange(input: MailContext & { link: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** Someone asked to move another account to this address, which already has one (no enumeration: they get this instead). */
  emailInUse(input: MailContext): Omit<MailMessage, 'to'>
  /** `accounts.tokens.format: 'code'`: the 6-digit code that confirms an address (sign-up, resend). */
  verificationCode(input: MailContext & { code: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** `'code'`: someone signed up with an address that already has an account; a reset code. */
  alreadyRegisteredCode(input: MailContext & { code: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** `'code'`: the 6-digit code that resets the password. */
  resetCode(input: MailContext & { code: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
  /** `'code'`: the 6-digit code that confirms the NEW address of an email change. */
  emailChangeCode(input: MailContext & { code: string; expiresInMinutes: number }): Omit<MailMessage, 'to'>
}

const app = (input: MailContext) => input.appName ?? 'your account'

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const html = (lines: readonly string[], link?: string) =>
  `<!doctype html><html><body>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}${
    link === undefined ? '' : `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`
  }</body></html>`

const ignore = 'If this was not you, you can ignore this message.'
const codeWorks = (minutes: number) => `The code works once, for this address only, and expires in ${minutes} minutes. Never give it to anyone.`

/** A message around a 6-digit code: the code on a line of its own (what the user types). */
const codeMessage = (subject: string, before: readonly string[], code: string, after: readonly string[]) => ({
  subject,
  text: [...before, code, ...after].join('\n\n'),
  html: html([...before, code, ...after]),
})

const templates: MailTemplates = {
  verification(input) {
    const lines = [`Confirm your email address for ${app(input)} by opening this link:`]
    const after = [`The link works once and expires in ${input.expiresInMinutes} minutes.`, ignore]
    return { subject: 'Confirm your email address', text: [...lines, input.link, ...after].join('\n\n'), html: html([...lines, ...after], input.link) }
  },
  alreadyRegistered(input) {
    const lines = [
      `Someone tried to create an account for ${app(input)} with this address, which already has one.`,
      'If it was you, sign in, or reset your password with this link:',
    ]
    const after = [`The link works once and expires in ${input.expiresInMinutes} minutes.`, ignore]
    return { subject: 'You already have an account', text: [...lines, input.resetLink, ...after].join('\n\n'), html: html([...lines, ...after], input.resetLink) }
  },
  reset(input) {
    const lines = [`A password reset was requested for ${app(input)}. Choose a new password with this link:`]
    const after = [`The link works once and expires in ${input.expiresInMinutes} minutes. Every device signed in to the account will be signed out.`, ignore]
    return { subject: 'Reset your password', text: [...lines, input.link, ...after].join('\n\n'), html: html([...lines, ...after], input.link) }
  },
  passwordChanged(input) {
    const lines = [`The password of ${app(input)} was just changed.`, 'If this was not you, reset your password now and contact support.']
    return { subject: 'Your password was changed', text: lines.join('\n\n'), html: html(lines) }
  },
  emailChangeNotice(input) {
    const lines = [
      `The email address of ${app(input)} is being changed to ${input.newEmail}.`,
      'This address stays in use until the new one is confirmed. If this was not you, reset your password now.',
    ]
    return { subject: 'Your email address is being changed', text: lines.join('\n\n'), html: html(lines) }
  },
  emailChange(input) {
    const lines = [`Confirm this address as the new email address of ${app(input)} by opening this link:`]
    const after = [`The link works once and expires in ${input.expiresInMinutes} minutes. Until then the old address stays in use.`, ignore]
    return { subject: 'Confirm your new email address', text: [...lines, input.link, ...after].join('\n\n'), html: html([...lines, ...after], input.link) }
  },
  emailInUse(input) {
    const lines = [
      `Someone asked to move another account of ${app(input)} to this address, which already has an account.`,
      'Nothing was changed. If this was not you, you can ignore this message.',
    ]
    return { subject: 'This address already has an account', text: lines.join('\n\n'), html: html(lines) }
  },
  verificationCode(input) {
    return codeMessage('Your confirmation code', [`Enter this code to confirm your email address for ${app(input)}:`], input.code, [codeWorks(input.expiresInMinutes), ignore])
  },
  alreadyRegisteredCode(input) {
    const before = [
      `Someone tried to create an account for ${app(input)} with this address, which already has one.`,
      'If it was you, sign in, or reset your password with this code:',
    ]
    return codeMessage('You already have an account', before, input.code, [codeWorks(input.expiresInMinutes), ignore])
  },
  resetCode(input) {
    const before = [`A password reset was requested for ${app(input)}. Enter this code to choose a new password:`]
    const after = [codeWorks(input.expiresInMinutes), 'Every device signed in to the account will be signed out.', ignore]
    return codeMessage('Your password reset code', before, input.code, after)
  },
  emailChangeCode(input) {
    const before = [`Enter this code to confirm this address as the new email address of ${app(input)}:`]
    return codeMessage('Confirm your new email address', before, input.code, [codeWorks(input.expiresInMinutes), 'Until then the old address stays in use.', ignore])
  },
}

/**
 * The default English messages. Short, no tracking, no personal data beyond the address they go
 * to; links expire as the text says.
 *
 * @example
 * ```ts
 * import { defaultMailTemplates, type MailTemplates } from '@acme/auth-core'
 *
 * const mine: MailTemplates = {
 *   ...defaultMailTemplates,
 *   reset: ({ link }) => ({ subject: 'Réinitialiser le mot de passe', text: `Ouvrez ${link}` }),
 * }
 * ```
 */
export const defaultMailTemplates: Readonly<MailTemplates> = Object.freeze(templates)
