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
  redisPrefix: string
  /** Signs CSRF tokens and seals the signing keys at rest. */
  secret: string
  /** `aud` of the Bearer tokens the upstream API accepts. */
  upstreamAudience: string
  accessTokenSeconds: number
  sessionIdleSeconds: number
  sessionAbsoluteSeconds: number
  /** Serve the prebuilt client from dist/client (`pnpm --filter @acme/demo start`). */
  production: boolean
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

// Only for Redis mode without AUTH_SECRET: keys sealed in Redis must open again after a restart.
const developmentSecret = 'acme-demo-development-secret-do-not-use-in-production'

/** Reads the demo's settings; a bad value throws a TypeError naming the variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<DemoConfig> {
  const port = integer(env, 'PORT', 3000, 1, 65535)
  const idpPort = integer(env, 'IDP_PORT', 5000, 1, 65535)
  const strategy = env.AUTH_STRATEGY ?? 'session'
  if (strategy !== 'session' && strategy !== 'token') throw new TypeError(`AUTH_STRATEGY must be 'session' or 'token'`)
  const redisUrl = env.REDIS_URL === '' ? undefined : env.REDIS_URL
  const secret = env.AUTH_SECRET ?? (redisUrl ? developmentSecret : randomBytes(32).toString('base64url'))
  if (secret.length < 32) throw new TypeError('AUTH_SECRET must be at least 32 characters')
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
    redisPrefix: env.REDIS_PREFIX ?? 'acme-demo:',
    secret,
    upstreamAudience: env.UPSTREAM_AUDIENCE ?? 'acme-demo-api',
    accessTokenSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 600, 1, 900),
    sessionIdleSeconds: integer(env, 'SESSION_IDLE_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600),
    sessionAbsoluteSeconds: integer(env, 'SESSION_ABSOLUTE_SECONDS', 30 * 24 * 3600, 60, 365 * 24 * 3600),
    production: env.NODE_ENV === 'production',
  })
}

/** The seeded accounts; the README lists the same passwords. */
export const demoAccounts = [
  { id: 'u-alice', email: 'alice@example.com', password: 'alice-password', name: 'Alice Martin', roles: ['admin'] },
  { id: 'u-bob', email: 'bob@example.com', password: 'bob-password', name: 'Bob Lee', roles: ['member'] },
] as const
