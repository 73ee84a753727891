import { randomBytes } from 'node:crypto'

/** Everything the demo reads from the environment, read once at start-up (core never reads it). */
export interface DemoConfig {
  /** The web app's public origin: cookies, CSRF Origin checks, token `iss`. */
  appOrigin: string
  port: number
  upstreamPort: number
  idpPort: number
  /** The demo OpenID Provider's issuer URL. */
  idpOrigin: string
  /** The web app's client at the demo IdP. */
  idpClientId: string
  idpClientSecret: string
  strategy: 'session' | 'token'
  /** `redis://…` switches every store to Redis; undefined keeps them in memory. */
  redisUrl: string | undefined
  /** `REDIS_CLUSTER_NODES=host:port,…`: every store on a Redis Cluster instead. */
  redisClusterNodes: readonly { host: string; port: number }[] | undefined
  redisPrefix: string
  /** `postgres://…` switches the auth stores (not the upstream's notes) to PostgreSQL. */
  databaseUrl: string | undefined
  /** The PostgreSQL schema of the auth tables, migrated at start-up. */
  databaseSchema: string
  /** Signs CSRF tokens and seals the signing keys at rest. */
  secret: string
  /** `aud` of the Bearer tokens the upstream API accepts. */
  upstreamAudience: string
  accessTokenSeconds: number
  /** How often the admin page's health panel samples the metrics (`DEMO_HEALTH_SAMPLE_MS`). */
  healthSampleMs: number
  sessionIdleSeconds: number
  sessionAbsoluteSeconds: number
  /** `NODE_ENV=production`: account mail goes through SMTP (`SMTP_URL`) and there is no `/dev/outbox`. */
  production: boolean
  /**
   * Serve the client already built in dist/client (`pnpm --filter @acme/demo start`, or
   * `DEMO_CLIENT=prebuilt` in development) instead of building it in watch mode.
   */
  prebuiltClient: boolean
  /** `smtp://…` or `smtps://…`: where account mail goes in production. Without it, production sends no mail. */
  smtpUrl: string | undefined
  /** The sender of account mail (`MAIL_FROM`). */
  mailFrom: string
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer between ${min} and ${max} (got ${JSON.stringify(raw)})`)
  }
  return value
}

/** Values that are public (docs, this repository's history) or guessable: never a secret. */
const placeholderSecrets = [
  'acme-demo-development-secret-do-not-use-in-production', // the demo's former Redis-mode default
  'changeme',
  'change-me',
  'secret',
  'password',
  'auth-secret',
  'your-secret',
  'replace-me',
  'development',
  'test',
  'default',
  'example',
]

/** Where the shared stores live, by the variable that chose them. */
const sharedStores = { REDIS_URL: 'Redis', REDIS_CLUSTER_NODES: 'Redis', DATABASE_URL: 'PostgreSQL' } as const
type SharedStoreVariable = keyof typeof sharedStores

/**
 * `AUTH_SECRET` signs CSRF tokens and seals the signing keys at rest (in Redis or PostgreSQL,
 * where they outlive the process). It is required with a shared store or `NODE_ENV=production`;
 * elsewhere a random one per start is fine (memory stores die with the process anyway). Weak
 * values are refused.
 */
function readSecret(env: NodeJS.ProcessEnv, shared: SharedStoreVariable | undefined): string {
  const secret = env.AUTH_SECRET === '' ? undefined : env.AUTH_SECRET
  if (secret === undefined) {
    const why = shared ? `${shared} is set (the signing keys are sealed in ${sharedStores[shared]} with it)` : 'NODE_ENV=production'
    if (shared || env.NODE_ENV === 'production') {
      throw new TypeError(`AUTH_SECRET is required because ${why}. Generate one with: openssl rand -base64 32`)
    }
    return randomBytes(32).toString('base64url')
  }
  const refuse = (reason: string) => new TypeError(`AUTH_SECRET is too weak: ${reason}. Generate one with: openssl rand -base64 32`)
  if (secret.length < 32) throw refuse('it must be at least 32 characters')
  if (new Set(secret).size === 1) throw refuse('it repeats one character')
  // A placeholder repeated to length ("changemechangeme…", "secret-secret-…") is still a placeholder.
  const letters = secret.toLowerCase().replace(/[^a-z0-9]/g, '')
  for (const placeholder of placeholderSecrets) {
    if (letters.replaceAll(placeholder.replace(/[^a-z0-9]/g, ''), '') === '') throw refuse('it is a known placeholder or public value')
  }
  return secret
}

/** `host:port,host:port` into nodes; a malformed entry throws naming the variable. */
function readClusterNodes(raw: string | undefined): { host: string; port: number }[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  return raw.split(',').map((entry) => {
    const node = entry.trim()
    const match = /^([^\s:]+):(\d{1,5})$/.exec(node)
    const port = Number(match?.[2])
    if (!match || port < 1 || port > 65_535) {
      throw new TypeError(`REDIS_CLUSTER_NODES must be host:port pairs separated by commas (got ${JSON.stringify(node)})`)
    }
    return { host: match[1]!, port }
  })
}

/** `DEMO_CLIENT`: `watch` (the default in development) or `prebuilt`. */
function readClientMode(env: NodeJS.ProcessEnv): 'watch' | 'prebuilt' {
  const mode = env.DEMO_CLIENT || 'watch'
  if (mode !== 'watch' && mode !== 'prebuilt') throw new TypeError(`DEMO_CLIENT must be 'watch' or 'prebuilt'`)
  return mode
}

/** `SMTP_URL`, checked for its scheme only (it may carry credentials: never echoed). */
function readSmtpUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined
  if (!/^smtps?:\/\/\S+$/.test(raw)) throw new TypeError('SMTP_URL must be an smtp:// or smtps:// URL')
  return raw
}

/**
 * Reads the demo's settings; a bad value throws a TypeError naming the variable. At most one of
 * `REDIS_URL`, `REDIS_CLUSTER_NODES` and `DATABASE_URL` chooses the shared stores. `AUTH_SECRET`
 * is required with any of them or `NODE_ENV=production` and must not be weak (see `readSecret`).
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<DemoConfig> {
  const port = integer(env, 'PORT', 3000, 1, 65535)
  const idpPort = integer(env, 'IDP_PORT', 5000, 1, 65535)
  const strategy = env.AUTH_STRATEGY ?? 'session'
  if (strategy !== 'session' && strategy !== 'token') throw new TypeError(`AUTH_STRATEGY must be 'session' or 'token'`)
  const redisUrl = env.REDIS_URL === '' ? undefined : env.REDIS_URL
  const redisClusterNodes = readClusterNodes(env.REDIS_CLUSTER_NODES)
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new TypeError('DATABASE_URL must be a postgres:// or postgresql:// URL')
  }
  const databaseSchema = env.DATABASE_SCHEMA || 'acme_auth'
  if (!/^[a-z_][a-z0-9_]{0,39}$/.test(databaseSchema)) throw new TypeError('DATABASE_SCHEMA must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)')
  const chosen = (Object.keys(sharedStores) as SharedStoreVariable[]).filter((name) =>
    name === 'REDIS_URL' ? redisUrl : name === 'DATABASE_URL' ? databaseUrl : redisClusterNodes,
  )
  if (chosen.length > 1) throw new TypeError(`set only one of ${chosen.join(', ')}: they choose where the stores live`)
  const secret = readSecret(env, chosen[0])
  return Object.freeze({
    appOrigin: (env.APP_ORIGIN ?? `http://localhost:${port}`).replace(/\/$/, ''),
    port,
    upstreamPort: integer(env, 'UPSTREAM_PORT', 4000, 1, 65535),
    idpPort,
    idpOrigin: (env.IDP_ORIGIN ?? `http://localhost:${idpPort}`).replace(/\/$/, ''),
    idpClientId: env.IDP_CLIENT_ID ?? 'acme-demo',
    idpClientSecret: env.IDP_CLIENT_SECRET ?? 'acme-demo-client-secret',
    strategy,
    redisUrl,
    redisClusterNodes,
    redisPrefix: env.REDIS_PREFIX ?? 'acme-demo:',
    databaseUrl,
    databaseSchema,
    secret,
    upstreamAudience: env.UPSTREAM_AUDIENCE ?? 'acme-demo-api',
    accessTokenSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 600, 1, 900),
    healthSampleMs: integer(env, 'DEMO_HEALTH_SAMPLE_MS', 5_000, 100, 60_000),
    sessionIdleSeconds: integer(env, 'SESSION_IDLE_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600),
    sessionAbsoluteSeconds: integer(env, 'SESSION_ABSOLUTE_SECONDS', 30 * 24 * 3600, 60, 365 * 24 * 3600),
    production: env.NODE_ENV === 'production',
    prebuiltClient: env.NODE_ENV === 'production' || readClientMode(env) === 'prebuilt',
    smtpUrl: readSmtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || 'Acme Auth demo <no-reply@localhost>',
  })
}

/** The seeded accounts; the README lists the same passwords. */
export const demoAccounts = [
  { id: 'u-alice', email: 'alice@example.com', password: 'alice-password', name: 'Alice Martin', roles: ['admin'] },
  { id: 'u-bob', email: 'bob@example.com', password: 'bob-password', name: 'Bob Lee', roles: ['member'] },
] as const
