import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto'
import express, { type Express, type Request, type Response } from 'express'
import helmet from 'helmet'
import Provider, { type InteractionDetails } from 'oidc-provider'

/** An account of the demo IdP. */
export interface IdpAccount {
  sub: string
  email: string
  name: string
  password: string
}

export interface DemoIdpOptions {
  issuer: string
  /** The web app's origin: its callback is the only redirect URI. */
  appOrigin: string
  clientId: string
  clientSecret: string
  accounts: readonly IdpAccount[]
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

const samePassword = (a: string, b: string) => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * The demo OpenID Provider (oidc-provider): one confidential client (the web app) with PKCE
 * required, the seeded accounts, and a small sign-in page of its own. Consent is implied for
 * this first-party client.
 */
export function createDemoIdp(options: DemoIdpOptions): Express {
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]))
  const provider = new Provider(options.issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [`${options.appOrigin}/auth/oauth/demo/callback`],
        post_logout_redirect_uris: [`${options.appOrigin}/login`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'demo-idp-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub)
      if (!account) return Promise.resolve(undefined)
      return Promise.resolve({
        accountId: sub,
        claims: () => Promise.resolve({ sub, email: account.email, email_verified: true, name: account.name }),
      })
    },
  })

  const app = express()
  app.disable('x-powered-by')
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'style-src': [(_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
          // The sign-in form posts here, then the provider redirects to the app's callback.
          'form-action': ["'self'", options.appOrigin],
          'frame-ancestors': ["'none'"],
          'base-uri': ["'none'"],
          'object-src': ["'none'"],
        },
      },
      strictTransportSecurity: false,
    }),
  )

  const page = (res: Response, details: InteractionDetails, error?: string) => {
    const nonce = res.locals.cspNonce as string
    res.set('Cache-Control', 'no-store').type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Demo IdP</title>
<style nonce="${nonce}">
body{margin:0;font-family:ui-sans-serif,system-ui,sans-serif;background:#10213f;color:#1c2430;display:grid;place-items:center;min-height:100vh}
.card{background:#fff;border-radius:12px;padding:2rem;width:min(360px,90vw);box-shadow:0 10px 30px rgb(0 0 0/25%)}
h1{font-size:1.3rem;margin:0 0 .25rem}p{color:#5f6b7a;margin:0 0 1.25rem;font-size:.9rem}
label{display:grid;gap:.3rem;font-size:.9rem;font-weight:600;margin-bottom:.9rem}
input{font:inherit;padding:.55rem .7rem;border:1px solid #d6dbe3;border-radius:7px}
button{width:100%;font:inherit;font-weight:600;padding:.6rem;border:0;border-radius:7px;background:#0f9d76;color:#fff;cursor:pointer}
.error{color:#c2352b}.brand{color:#0f9d76;font-weight:700;letter-spacing:.04em;font-size:.8rem;text-transform:uppercase}
</style></head><body><main class="card">
<div class="brand">Demo IdP</div>
<h1>Sign in to continue</h1>
<p>to <strong>${escapeHtml(String(details.params.client_id))}</strong></p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(details.uid)}/login" autocomplete="off">
<label>Email<input name="email" type="email" required autofocus></label>
<label>Password<input name="password" type="password" required></label>
<button type="submit">Sign in</button>
</form></main></body></html>`)
  }

  /** Consent is implied for the first-party client: grant what it asked for and continue. */
  const grantConsent = async (req: Request, res: Response, details: InteractionDetails) => {
    const accountId = details.session?.accountId
    if (!accountId) throw new Error('consent without a signed-in account')
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId: details.params.client_id })
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    const grantId = await grant.save()
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true })
  }

  app.get('/interaction/:uid', async (req, res) => {
    const details = await provider.interactionDetails(req, res)
    if (details.prompt.name === 'consent') return grantConsent(req, res, details)
    page(res, details)
  })

  app.post('/interaction/:uid/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const details = await provider.interactionDetails(req, res)
    const body = req.body as { email?: unknown; password?: unknown }
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
    const account = [...accounts.values()].find((candidate) => candidate.email === email)
    const password = typeof body.password === 'string' ? body.password : ''
    if (!account || !samePassword(password, account.password)) {
      res.status(401)
      return page(res, details, 'Wrong email or password.')
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false })
  })

  app.use(provider.callback())
  return app
}
