// oidc-provider ships no type declarations: the small part of its API the test IdP uses, as plain
// types (the module is loaded dynamically and cast to these). Nothing here is part of the public API.
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface AccountClaims {
  sub: string
  [claim: string]: unknown
}

export interface Account {
  accountId: string
  claims(use: string, scope: string): AccountClaims | Promise<AccountClaims>
}

export interface InteractionDetails {
  uid: string
  params: Record<string, unknown>
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> }
  session?: { accountId?: string }
  grantId?: string
}

export interface InteractionResults {
  login?: { accountId: string; remember?: boolean }
  consent?: { grantId: string }
  error?: string
  error_description?: string
}

export interface Grant {
  addOIDCScope(scope: string): void
  addOIDCClaims(claims: string[]): void
  addResourceScope(resource: string, scope: string): void
  save(): Promise<string>
}

export interface ProviderConfiguration {
  clients?: Record<string, unknown>[]
  findAccount?: (ctx: unknown, id: string) => Promise<Account | undefined> | Account | undefined
  interactions?: { url(ctx: unknown, interaction: { uid: string }): string }
  cookies?: { keys?: string[] }
  jwks?: { keys: Record<string, unknown>[] }
  features?: Record<string, unknown>
  pkce?: { required?: () => boolean }
  ttl?: Record<string, number>
  claims?: Record<string, string[]>
  issueRefreshToken?: (ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => Promise<boolean> | boolean
}

export interface Provider {
  readonly issuer: string
  Grant: new (properties: { accountId: string; clientId: string }) => Grant
  callback(): (req: IncomingMessage, res: ServerResponse) => void
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<void>
}

/** The module's default export. */
export type ProviderConstructor = new (issuer: string, configuration?: ProviderConfiguration) => Provider
