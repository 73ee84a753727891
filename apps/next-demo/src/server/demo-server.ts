import { createOutboxMailer, type OutboxMailer, type PasswordHasher } from '@acme/auth-core'
import { createPasswordHasher } from '@acme/auth-core/argon2'
import { demoAccounts, readConfig, type DemoConfig } from '@acme/demo/config'
import { createAuditLog, type AuditLog } from '@acme/demo/web/audit-log'
import { createAuthStores, type AuthStores } from '@acme/demo/web/auth-stores'
import { createDemoUsers, type DemoUsers } from '@acme/demo/web/demo-users'
import { createHealthSampler, type HealthSampler } from '@acme/demo/web/health-sampler'
import { createPrometheusMetrics, type PrometheusMetrics } from '@acme/auth-server/prometheus'
import { demoAccountOptions } from '@acme/demo/web/account-options'
import { createAuthCore, createOAuth, createSmtpMailer, type AuthCore } from '@acme/auth-server/next'
import { demoIdpUsers } from '@acme/demo/web/demo-idp-users'

/** What every route of the app shares in one server process: settings, stores, users, audit log and the auth core. */
export interface DemoServer {
  config: Readonly<DemoConfig>
  stores: AuthStores
  users: DemoUsers
  audit: AuditLog
  passwords: PasswordHasher
  /** Development: every account mail, shown at `/dev/outbox`. Production: none (mail goes through `SMTP_URL`). */
  outbox: OutboxMailer | undefined
  /** The framework-neutral auth layer, with "Sign in with Demo IdP" (`/auth/oauth/demo`) registered on it. */
  core: AuthCore
  /** The process's OpenTelemetry meters with a Prometheus reader (registered globally): `GET /metrics`. */
  metrics: PrometheusMetrics
  /** apps/demo's sampler of those metrics, for the admin page's health panel (`GET /admin/api/health`). */
  health: HealthSampler
}

const key = Symbol.for('@acme/next-demo/server')
const slot = globalThis as typeof globalThis & { [key]?: Promise<DemoServer> }

/**
 * The process's one `DemoServer`. Next compiles route handlers, pages and the proxy into separate
 * bundles (and reloads them in development), so a module-level value would exist once per bundle:
 * memory stores must be shared, so the instance lives on `globalThis`. Built on first use (never
 * while `next build` collects pages), from the same environment variables as apps/demo.
 */
export function demoServer(): Promise<DemoServer> {
  slot[key] ??= open().catch((error: unknown) => {
    slot[key] = undefined
    throw error
  })
  return slot[key]
}

async function open(): Promise<DemoServer> {
  const config = readConfig()
  // Registered before the stores and the auth core exist, as apps/demo does; core's recorders
  // follow the global provider either way.
  const metrics = createPrometheusMetrics()
  const health = createHealthSampler(() => metrics.collect(), { intervalMs: config.healthSampleMs })
  const audit = createAuditLog({ write: (line) => process.stdout.write(line) })
  const stores = await createAuthStores(config, audit)
  const passwords = createPasswordHasher()
  const users = await createDemoUsers(demoAccounts, passwords, stores.postgres)
  // As apps/demo: development keeps every mail at /dev/outbox; production sends through SMTP_URL (or sends none).
  // `next start` always runs as production: NEXT_DEMO_OUTBOX=1 keeps the outbox there (the browser
  // tests of the account flows run on the one production build). Never set it in a deployment.
  const outbox = !config.production || process.env.NEXT_DEMO_OUTBOX === '1' ? createOutboxMailer() : undefined
  const smtp = !outbox && config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : undefined
  const core = createAuthCore({
    sessions: stores.sessions,
    users,
    passwords,
    http: { origin: config.appOrigin, secret: config.secret, limits: { store: stores.rateLimits } },
    audit,
    strategy: config.strategy,
    tokens: { keyRing: stores.keyRing, accessTokens: stores.accessTokens, refreshFamilies: stores.refreshFamilies, nativeClients: true, nativeAudience: config.upstreamAudience },
    accounts: demoAccountOptions(config.appOrigin, outbox ?? smtp),
    // As apps/demo: TOTP, recovery codes and passkeys; an enrolled user's sign-in asks for the factor on /login.
    secondFactors: { store: stores.secondFactors, totp: { issuer: 'Acme Auth demo' }, challengePage: '/login?mfa=pending', rememberDevice: { days: 30 } },
  })
  createOAuth(core, {
    providers: { demo: { issuer: config.idpOrigin, clientId: config.idpClientId, clientSecret: config.idpClientSecret, allowInsecureRequests: true } },
    users: demoIdpUsers(users),
    secret: config.secret,
    http: { origin: config.appOrigin, errorPage: '/login?error=oauth' },
    limits: { store: stores.rateLimits },
  })
  return { config, stores, users, audit, passwords, outbox, core, metrics, health }
}
