// A loopback GitHub: the web flow's authorize and access_token endpoints at github.com, the REST API's
// /user and /user/emails at api.github.com, answering as https://docs.github.com describes
// (form or JSON by Accept, errors with HTTP 200 from access_token, `message` bodies from the API).
import { randomBytes } from 'node:crypto'
import { formOf, pkceMatches, startFakeServer, type FakeAnswer, type FakeServer, type IssuedCode } from './fake-server.js'

export const githubOrigins = ['https://github.com', 'https://api.github.com']

export interface GitHubAccount {
  id: number
  login: string
  name: string | null
  /** The public email on the profile, often `null`. */
  email: string | null
  emails: { email: string; primary: boolean; verified: boolean; visibility: 'public' | 'private' | null }[]
}

export interface GitHubFake extends FakeServer {
  account: string
  /** What `/user/emails` answers instead of the list (a token without `user:email`). */
  emailsStatus: number | undefined
  /** What `/user` answers instead of the profile (GitHub's HTML "Unicorn!" page in an outage). */
  userAnswer: FakeAnswer | undefined
}

export async function startGitHubFake(client: { clientId: string; clientSecret: string }, accounts: Record<string, GitHubAccount>): Promise<GitHubFake> {
  const codes = new Map<string, IssuedCode>()
  const accessTokens = new Map<string, string>()
  const state: { account: string; emailsStatus: number | undefined; userAnswer: FakeAnswer | undefined } = { account: Object.keys(accounts)[0]!, emailsStatus: undefined, userAnswer: undefined }
  const scope = 'read:user,user:email'

  // GitHub's token endpoint answers errors with 200, in the format the Accept header asks for.
  const tokenAnswer = (accept: string | undefined, fields: Record<string, string>): FakeAnswer =>
    accept?.includes('application/json')
      ? { json: fields }
      : { text: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }
  const api = (status: number, message: string): FakeAnswer => ({ status, json: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) } })

  const server = await startFakeServer('https://github.com', (req) => {
    const where = `${req.method} ${req.url.origin}${req.url.pathname}`
    if (where === 'GET https://github.com/login/oauth/authorize') {
      const q = req.url.searchParams
      if (q.get('client_id') !== client.clientId) return { status: 404, text: 'Not Found' }
      const code = randomBytes(10).toString('hex')
      const redirectUri = q.get('redirect_uri') ?? ''
      codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: q.get('code_challenge') ?? '', nonce: null, account: state.account })
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      back.searchParams.set('state', q.get('state') ?? '')
      return { status: 302, location: back.href }
    }
    if (where === 'POST https://github.com/login/oauth/access_token') {
      const { form, clientId, clientSecret } = formOf(req)
      const accept = req.headers.accept
      if (clientId !== client.clientId || clientSecret !== client.clientSecret) {
        return tokenAnswer(accept, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.', error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials' })
      }
      const code = form.get('code') ?? ''
      const issued = codes.get(code)
      codes.delete(code)
      if (!issued || issued.redirectUri !== form.get('redirect_uri') || !pkceMatches(form.get('code_verifier'), issued.codeChallenge)) {
        return tokenAnswer(accept, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.', error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code' })
      }
      const accessToken = `gho_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'A')}`
      accessTokens.set(accessToken, issued.account)
      return tokenAnswer(accept, { access_token: accessToken, scope, token_type: 'bearer' })
    }
    if (req.url.origin === 'https://api.github.com') {
      // "All API requests MUST include a valid User-Agent header."
      if (!req.headers['user-agent']) return api(403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).')
      const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
      const who = token === undefined ? undefined : accessTokens.get(token)
      if (who === undefined) return api(401, 'Bad credentials')
      const account = accounts[who]!
      const headers = { 'x-oauth-scopes': 'read:user, user:email', 'x-github-media-type': 'github.v3; format=json' }
      if (where === 'GET https://api.github.com/user') {
        if (state.userAnswer) return state.userAnswer
        return {
          headers,
          json: {
            login: account.login,
            id: account.id,
            node_id: `U_kgDO${account.id}`,
            avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
            gravatar_id: '',
            url: `https://api.github.com/users/${account.login}`,
            html_url: `https://github.com/${account.login}`,
            type: 'User',
            site_admin: false,
            name: account.name,
            company: null,
            blog: '',
            location: null,
            email: account.email,
            hireable: null,
            bio: null,
            twitter_username: null,
            public_repos: 2,
            public_gists: 0,
            followers: 1,
            following: 0,
            created_at: '2008-01-14T04:33:35Z',
            updated_at: '2024-11-02T19:12:05Z',
          },
        }
      }
      if (where === 'GET https://api.github.com/user/emails') {
        if (state.emailsStatus === 403) return api(403, 'Resource not accessible by integration')
        if (state.emailsStatus !== undefined) return api(state.emailsStatus, 'Not Found')
        return { headers, json: account.emails }
      }
      return api(404, 'Not Found')
    }
    return { status: 404, text: 'Not Found' }
  })
  return Object.assign(state, server)
}
