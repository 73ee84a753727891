export {
  createNextAuth,
  type NextAuth,
  type NextAuthOptions,
  type NextAuthSource,
  type NextBffOptions,
  type NextRouteHandler,
  type SignedInSession,
} from './create-next-auth.js'
export type { NextProxyOptions } from './next-proxy.js'
export { NextContextError } from './next-context-error.js'
export type { SessionPayload } from '@acme/auth-core'
export type { RequestAuth } from '../core/request-auth.js'
export type { RequiredAuthLevel } from '../core/auth-level.js'
// The core and OAuth sign-in, so a Next.js app needs no other entry (neither pulls in Express).
export { createAuthCore, type AuthCore, type AuthBffOptions } from '../core/create-auth-core.js'
export { createOAuth, type OAuth } from '../oauth/create-oauth.js'
export type { OAuthOptions } from '../oauth/oauth-options.js'
export type { AuthOptions, AuthAccountsOptions } from '../config/auth-options.js'
// Account mail in production (development keeps it in core's `createOutboxMailer()`).
export { createSmtpMailer, type SmtpMailer, type SmtpMailerOptions } from '../mail/smtp-mailer.js'
