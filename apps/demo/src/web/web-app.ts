import type { Mailer, OutboxMailer, PasswordHasher } from '@acme/auth-core'
import { createAuth, createOAuth, problem, problemErrorHandler, ProblemError, requireRole, type Auth } from '@acme/auth-server'
import express, { type Express, type Request, type RequestHandler, type Response } from 'express'
import type { DemoConfig } from '../config.js'
import { safeReturnTo, type InitialState, type OutboxEntry, type PageName, type PageState } from '../shared/page-state.js'
import { demoAccountOptions } from './account-options.js'
import { adminRoutes, webPolicies } from './admin-routes.js'
import type { HealthSampler } from './health-sampler.js'
import type { AuditLog } from './audit-log.js'
import type { AuthStores } from './auth-stores.js'
import type { DemoUsers } from './demo-users.js'
import { renderPage, type ClientAssets } from './render-page.js'
import { securityHeaders } from './security-headers.js'
import { demoIdpUsers } from './demo-idp-users.js'

export interface WebAppOptions {
  config: Pick<DemoConfig, 'appOrigin' | 'secret' | 'strategy' | 'upstreamPort' | 'upstreamAudience'>
  stores: AuthStores
  users: DemoUsers
  passwords: PasswordHasher
  audit: AuditLog
  /** The client's files for a page (read per request in development, where Vite rebuilds them). */
  assets: () => ClientAssets
  /** Serves the built client (`/assets/*`). */
  staticFiles?: RequestHandler
  /** `GET /metrics` in the Prometheus text format, for signed-in admins only. */
  metrics?: RequestHandler
  /** The admin page's health panel (`GET /admin/api/health`), sampled from the same metrics. */
  health?: HealthSampler
  /** The demo OpenID Provider ("Sign in with Demo IdP", provider `demo` in routes). */
  idp?: { issuer: string; clientId: string; clientSecret: string }
  /**
   * Where account mail goes: the development outbox (also served at `GET /dev/outbox`) or, in
   * production, SMTP. Without one the routes that mail (sign-up, resend, forgot) do not exist.
   */
  mail?: { outbox: OutboxMailer } | { mailer: Mailer }
}

export interface WebApp {
  app: Express
  auth: Auth
  close(): Promise<void>
}

/**
 * The demo web app: server-rendered React pages, `/auth`, the JWKS, the BFF (`/api/*` → the
 * upstream API with a short-lived Bearer token) and the admin API. All auth comes from the packages.
 */
export function createWebApp(options: WebAppOptions): WebApp {
  const { config, stores, users, audit } = options
  const outbox = options.mail && 'outbox' in options.mail ? options.mail.outbox : undefined
  const mailer = options.mail && ('outbox' in options.mail ? options.mail.outbox : options.mail.mailer)
  const auth = createAuth({
    sessions: stores.sessions,
    users,
    passwords: options.passwords,
    http: { origin: config.appOrigin, secret: config.secret, limits: { store: stores.rateLimits } },
    audit,
    strategy: config.strategy,
    tokens: { keyRing: stores.keyRing, accessTokens: stores.accessTokens, refreshFamilies: stores.refreshFamilies, nativeClients: true, nativeAudience: config.upstreamAudience },
    accounts: demoAccountOptions(config.appOrigin, mailer),
    // TOTP, recovery codes and passkeys; an enrolled user's sign-in asks for the factor on /login
    // (an OAuth one lands on /login?mfa=pending), unless the browser was remembered ("Remember this
    // device for 30 days").
    secondFactors: { store: stores.secondFactors, totp: { issuer: 'Acme Auth demo' }, challengePage: '/login?mfa=pending', rememberDevice: { days: 30 } },
  })
  const bff = auth.bff({ upstream: `http://127.0.0.1:${config.upstreamPort}`, audience: config.upstreamAudience })

  const idp = options.idp
  const oauth = idp
    ? createOAuth(auth, {
        providers: { demo: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowInsecureRequests: true } },
        users: demoIdpUsers(users),
        secret: config.secret,
        http: { origin: config.appOrigin, errorPage: '/login?error=oauth' },
        limits: { store: stores.rateLimits },
      })
    : undefined

  const app = express()
  app.disable('x-powered-by')
  app.use(securityHeaders())
  if (options.staticFiles) app.use('/assets', options.staticFiles)
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true })
  })

  app.use(auth.middleware())
  // Metrics describe every user's traffic: admins only (401 signed out, 403 for members). A
  // Prometheus scraper would instead get `metrics.handler` on a private port of its own.
  if (options.metrics) app.get('/metrics', requireRole('admin'), options.metrics)
  if (oauth) app.use('/auth/oauth', oauth.router())
  app.use('/auth', auth.router())
  app.get('/.well-known/jwks.json', auth.jwks())
  app.use(bff)
  app.use('/admin/api', express.json({ limit: '4kb' }), adminRoutes({ auth, stores, users, audit, ...(options.health ? { health: options.health } : {}) }))

  const render = async (req: Request, res: Response, page: Omit<PageState, 'strategy' | 'returnTo'> & { returnTo?: string }, status = 200) => {
    const session = await auth.sessionPayload(req, res)
    const state: InitialState = { session, page: { strategy: config.strategy, returnTo: '/', ...(outbox ? { devOutbox: true } : {}), ...page } }
    const nonce = (res.locals as { cspNonce: string }).cspNonce
    // The page holds a per-user payload: never cached, by the browser or anything in between.
    res.status(status).set('Cache-Control', 'no-store').type('html').send(renderPage(state, options.assets(), nonce))
  }

  /** A page for signed-in users; anyone else goes to the sign-in page and comes back after. */
  const protectedPage =
    (name: PageName, extra: (req: Request) => Partial<PageState> = () => ({})): RequestHandler =>
    async (req, res) => {
      if (!req.auth) return res.redirect(303, `/login?returnTo=${encodeURIComponent(safeReturnTo(req.originalUrl))}`)
      await render(req, res, { page: name, ...extra(req) })
    }

  app.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo)
    if (req.auth) return res.redirect(303, returnTo)
    const notice = req.query.notice === 'password-reset' || req.query.notice === 'account-deleted' ? req.query.notice : undefined
    const mfaPending = req.query.mfa === 'pending' ? { mfaPending: true as const } : {}
    await render(req, res, { page: 'login', returnTo, ...(req.query.error === undefined ? {} : { error: 'oauth' as const }), ...(notice ? { notice } : {}), ...mfaPending })
  })
  app.get('/signup', async (req, res) => {
    if (req.auth) return res.redirect(303, '/')
    await render(req, res, { page: 'signup' })
  })
  // Recovery works signed in too (someone else may know the password).
  app.get('/forgot-password', async (req, res) => {
    await render(req, res, { page: 'forgot-password' })
  })
  // The mailed links land here with ?token=: never sent on to another origin in a Referer.
  for (const [path, page] of [['/reset-password', 'reset-password'], ['/verify-email', 'verify-email']] as const) {
    app.get(path, async (req, res) => {
      res.set('Referrer-Policy', 'no-referrer')
      await render(req, res, { page })
    })
  }
  app.get('/account', protectedPage('account'))
  app.get('/account/security', protectedPage('security'))
  if (outbox) {
    // Development only: the mail the demo would have sent, newest first. Absent (404) in production.
    app.get('/dev/outbox', async (req, res) => {
      const messages: OutboxEntry[] = outbox.messages().map(({ to, subject, text, links }) => ({ to, subject, text, links: [...links] }))
      res.set('Referrer-Policy', 'no-referrer')
      if (req.accepts(['json', 'html']) === 'json') {
        res.set('Cache-Control', 'no-store').json(messages)
        return
      }
      await render(req, res, { page: 'outbox', outbox: messages })
    })
  }
  app.get('/', protectedPage('dashboard'))
  app.get('/notes/:id', protectedPage('note', (req) => ({ noteId: String(req.params.id) })))
  app.get('/account/sessions', protectedPage('sessions'))
  app.get('/admin', async (req, res) => {
    if (!req.auth) return res.redirect(303, `/login?returnTo=${encodeURIComponent('/admin')}`)
    const decision = webPolicies.can({ id: req.auth.user.id, roles: req.auth.user.roles }, 'admin.view')
    await render(req, res, { page: decision.allowed ? 'admin' : 'forbidden' }, decision.allowed ? 200 : 403)
  })

  app.use((req, res, next) => {
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
      render(req, res, { page: 'not-found' }, 404).catch(next)
      return
    }
    next(new ProblemError(problem(404, 'not-found', 'Not Found')))
  })
  app.use((error: unknown, _req: Request, _res: Response, next: (error: unknown) => void) => {
    // Expected failures carry a status; anything else is a bug worth a log line (never sent to the client).
    if (!(error instanceof ProblemError) && typeof (error as { status?: unknown }).status !== 'number') console.error('[web]', error)
    next(error)
  })
  app.use(problemErrorHandler())

  return { app, auth, close: () => bff.close() }
}
