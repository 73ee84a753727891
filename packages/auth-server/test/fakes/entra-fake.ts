// A loopback Microsoft Entra ID (v2.0 endpoints) at login.microsoftonline.com: per-tenant discovery
// (the multi-tenant `{tenantid}` issuer template for common and organizations), authorize, token
// and keys, with the claims of https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference.
import { randomBytes, randomUUID } from 'node:crypto'
import { createSigningKey, formOf, pkceMatches, startFakeServer, type FakeServer, type IssuedCode, type SigningKey } from './fake-server.js'

export const entraOrigins = ['https://login.microsoftonline.com']
const login = 'https://login.microsoftonline.com'

export interface EntraAccount {
  tid: string
  oid: string
  /** Pairwise: one per user and application. */
  sub: string
  name: string
  preferred_username: string
  email?: string
  /** The optional claim: the email's domain is verified by the tenant. */
  xms_edov?: boolean
  /** Signs the token's `iss` with another tenant than `tid` (a forgery to refuse). */
  issTenant?: string
}

export interface EntraFake extends FakeServer {
  account: string
  key: SigningKey
}

export async function startEntraFake(client: { clientId: string; clientSecret: string }, accounts: Record<string, EntraAccount>): Promise<EntraFake> {
  const key = await createSigningKey('nOo3ZDrODXEK1jKWhXslHR_KXEg')
  const codes = new Map<string, IssuedCode>()
  const state: { account: string; key: SigningKey } = { account: Object.keys(accounts)[0]!, key }
  const multiTenant = new Set(['common', 'organizations'])
  const template = `${login}/{tenantid}/v2.0`

  const discovery = (tenant: string) => ({
    token_endpoint: `${login}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${login}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: multiTenant.has(tenant) ? template : `${login}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${login}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${login}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${login}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${login}/${tenant}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  })
  const aadError = (error: string, code: number, description: string) => ({
    status: 400,
    json: { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z', trace_id: randomUUID(), correlation_id: randomUUID() },
  })

  const server = await startFakeServer(login, async (req) => {
    const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/token)$/.exec(req.url.pathname)
    if (req.url.origin !== login || !match) return { status: 404, text: 'Not Found' }
    const [, tenant = '', what] = match
    if (what === 'v2.0/.well-known/openid-configuration' && req.method === 'GET') return { json: discovery(tenant) }
    if (what === 'discovery/v2.0/keys' && req.method === 'GET') {
      return { json: { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: key.jwk.n, e: key.jwk.e, issuer: multiTenant.has(tenant) ? template : `${login}/${tenant}/v2.0` }] } }
    }
    if (what === 'oauth2/v2.0/authorize' && req.method === 'GET') {
      const q = req.url.searchParams
      if (q.get('client_id') !== client.clientId) return { status: 400, text: "AADSTS700016: Application not found in the directory" }
      const code = `1.A${randomBytes(48).toString('base64url')}`
      const redirectUri = q.get('redirect_uri') ?? ''
      codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: q.get('code_challenge') ?? '', nonce: q.get('nonce'), account: state.account })
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      back.searchParams.set('state', q.get('state') ?? '')
      back.searchParams.set('session_state', randomUUID())
      return { status: 302, location: back.href }
    }
    if (what === 'oauth2/v2.0/token' && req.method === 'POST') {
      const { form, clientId, clientSecret } = formOf(req)
      if (clientId !== client.clientId || clientSecret !== client.clientSecret) return { ...aadError('invalid_client', 7000215, 'Invalid client secret provided.'), status: 401 }
      const code = form.get('code') ?? ''
      const issued = codes.get(code)
      codes.delete(code)
      if (!issued || issued.redirectUri !== form.get('redirect_uri')) return aadError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.')
      if (!pkceMatches(form.get('code_verifier'), issued.codeChallenge)) return aadError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.')
      const { tid, oid, sub, name, preferred_username, email, xms_edov, issTenant } = accounts[issued.account]!
      const now = Math.floor(Date.now() / 1000)
      const idToken = await key.sign({
        aud: client.clientId,
        iss: `${login}/${issTenant ?? tid}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        ...(email === undefined ? {} : { email }),
        name,
        ...(issued.nonce ? { nonce: issued.nonce } : {}),
        oid,
        preferred_username,
        rh: '1.AXkA0.',
        sub,
        tid,
        uti: randomBytes(16).toString('base64url'),
        ver: '2.0',
        ...(xms_edov === undefined ? {} : { xms_edov }),
      })
      return {
        json: {
          token_type: 'Bearer',
          scope: 'openid profile email https://graph.microsoft.com/User.Read',
          expires_in: 4231,
          ext_expires_in: 4231,
          access_token: `eyJ0eXAiOiJKV1QiLCJub25jZSI6${randomBytes(48).toString('base64url')}`,
          id_token: idToken,
        },
      }
    }
    return { status: 405, text: 'Method Not Allowed' }
  })
  return Object.assign(state, server)
}
