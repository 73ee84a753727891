// A loopback Google: discovery, authorize, token, userinfo and JWKS at Google's real URLs, with the
// shapes of https://developers.google.com/identity/openid-connect/openid-connect.
import { randomBytes } from 'node:crypto'
import { atHash, createSigningKey, formOf, pkceMatches, startFakeServer, type FakeAnswer, type FakeServer, type IssuedCode, type SigningKey } from './fake-server.js'

export const googleOrigins = ['https://accounts.google.com', 'https://oauth2.googleapis.com', 'https://openidconnect.googleapis.com', 'https://www.googleapis.com']

export interface GoogleAccount {
  sub: string
  email: string
  email_verified: boolean
  name: string
  given_name?: string
  family_name?: string
  hd?: string
}

export interface GoogleFake extends FakeServer {
  /** Who signs in at the next authorize request. */
  account: string
  /** Signs ID tokens with this key instead of the published one (a forgery). */
  forgeWith: SigningKey | undefined
}

export async function startGoogleFake(client: { clientId: string; clientSecret: string }, accounts: Record<string, GoogleAccount>): Promise<GoogleFake> {
  const key = await createSigningKey('google-key-1')
  const codes = new Map<string, IssuedCode>()
  const accessTokens = new Map<string, string>()
  const issuer = 'https://accounts.google.com'
  const state = { account: Object.keys(accounts)[0]!, forgeWith: undefined as SigningKey | undefined }

  const discovery = {
    issuer,
    authorization_endpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
    device_authorization_endpoint: 'https://oauth2.googleapis.com/device/code',
    token_endpoint: 'https://oauth2.googleapis.com/token',
    userinfo_endpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
    revocation_endpoint: 'https://oauth2.googleapis.com/revoke',
    jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs',
    response_types_supported: ['code', 'token', 'id_token', 'code token', 'code id_token', 'token id_token', 'code token id_token', 'none'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['aud', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name', 'picture', 'sub'],
    code_challenge_methods_supported: ['plain', 'S256'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
  }
  const invalidGrant: FakeAnswer = { status: 400, json: { error: 'invalid_grant', error_description: 'Bad Request' } }

  const server = await startFakeServer(issuer, async (req) => {
    const where = `${req.method} ${req.url.origin}${req.url.pathname}`
    if (where === `GET ${issuer}/.well-known/openid-configuration`) return { json: discovery }
    if (where === 'GET https://www.googleapis.com/oauth2/v3/certs') return { json: { keys: [key.jwk] } }
    if (where === `GET ${discovery.authorization_endpoint}`) {
      const q = req.url.searchParams
      const redirectUri = q.get('redirect_uri') ?? ''
      if (q.get('client_id') !== client.clientId || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256') {
        return { status: 400, text: 'Error 400: invalid_request' }
      }
      const code = `4/0A${randomBytes(24).toString('base64url')}`
      codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: q.get('code_challenge') ?? '', nonce: q.get('nonce'), account: state.account })
      const back = new URL(redirectUri)
      back.searchParams.set('state', q.get('state') ?? '')
      back.searchParams.set('code', code)
      back.searchParams.set('scope', 'email profile openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile')
      back.searchParams.set('authuser', '0')
      back.searchParams.set('prompt', 'consent')
      return { status: 302, location: back.href }
    }
    if (where === `POST ${discovery.token_endpoint}`) {
      const { form, clientId, clientSecret } = formOf(req)
      if (clientId !== client.clientId || clientSecret !== client.clientSecret) return { status: 401, json: { error: 'invalid_client', error_description: 'Unauthorized' } }
      const code = form.get('code') ?? ''
      const issued = codes.get(code)
      codes.delete(code)
      if (form.get('grant_type') !== 'authorization_code' || !issued || issued.redirectUri !== form.get('redirect_uri') || !pkceMatches(form.get('code_verifier'), issued.codeChallenge)) return invalidGrant
      const account = accounts[issued.account]!
      const accessToken = `ya29.${randomBytes(32).toString('base64url')}`
      accessTokens.set(accessToken, issued.account)
      const now = Math.floor(Date.now() / 1000)
      const { sub, email, email_verified, name, given_name, family_name, hd } = account
      const idToken = await (state.forgeWith ?? key).sign({
        iss: issuer,
        azp: client.clientId,
        aud: client.clientId,
        sub,
        ...(hd ? { hd } : {}),
        email,
        email_verified,
        at_hash: atHash(accessToken),
        ...(issued.nonce ? { nonce: issued.nonce } : {}),
        name,
        picture: 'https://lh3.googleusercontent.com/a/default-user=s96-c',
        given_name,
        family_name,
        iat: now,
        exp: now + 3600,
      })
      return {
        json: {
          access_token: accessToken,
          expires_in: 3599,
          scope: 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
          token_type: 'Bearer',
          id_token: idToken,
        },
      }
    }
    if (where === `GET ${discovery.userinfo_endpoint}`) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      const who = token === undefined ? undefined : accessTokens.get(token)
      if (who === undefined) return { status: 401, json: { error: 'invalid_request', error_description: 'Invalid Credentials' }, headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } }
      const { sub, email, email_verified, name, given_name, family_name, hd } = accounts[who]!
      return { json: { sub, name, given_name, family_name, picture: 'https://lh3.googleusercontent.com/a/default-user=s96-c', email, email_verified, ...(hd ? { hd } : {}) } }
    }
    return { status: 404, text: 'Not Found' }
  })
  // The handler reads `state`: the returned object IS state, so tests can change who signs in.
  return Object.assign(state, server)
}
