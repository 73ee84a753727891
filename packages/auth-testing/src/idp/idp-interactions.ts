import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Provider } from './oidc-provider-types.js'
import type { TestIdPAccount } from './test-idp.js'

/**
 * The test IdP's interaction endpoint (`/interaction/:uid`): `?account=<sub>` logs that account
 * in, `?deny=1` ends the request with `access_denied`, and consent is granted for whatever the
 * client asked. A visit without either shows a page linking each account, for people.
 */
export async function handleInteraction(provider: Provider, accounts: readonly TestIdPAccount[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const query = new URL(req.url ?? '/', 'http://idp.invalid').searchParams
  const details = await provider.interactionDetails(req, res)
  const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : ''

  if (query.get('deny') === '1') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user said no.' }, { mergeWithLastSubmission: false })
    return
  }

  if (details.prompt.name === 'login') {
    const wanted = query.get('account')
    const account = accounts.find((candidate) => candidate.sub === wanted)
    if (!account) return void accountPicker(res, details.uid, accounts)
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false })
    return
  }

  if (details.prompt.name === 'consent') {
    const accountId = details.session?.accountId
    if (accountId === undefined) throw new Error('consent without a logged-in account')
    const grant = new provider.Grant({ accountId, clientId })
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details as {
      missingOIDCScope?: string[]
      missingOIDCClaims?: string[]
      missingResourceScopes?: Record<string, string[]>
    }
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '))
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims)
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '))
    const grantId = await grant.save()
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true })
    return
  }

  throw new Error(`unsupported prompt ${details.prompt.name}`)
}

function accountPicker(res: ServerResponse, uid: string, accounts: readonly TestIdPAccount[]): void {
  const links = accounts
    .map((account) => `<li><a href="/interaction/${escape(uid)}?account=${encodeURIComponent(account.sub)}">${escape(account.name ?? account.sub)}</a></li>`)
    .join('')
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
  res.end(
    `<!doctype html><title>Test IdP</title><h1>Sign in as</h1><ul>${links}</ul><p><a href="/interaction/${escape(uid)}?deny=1">Deny</a></p>`,
  )
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
