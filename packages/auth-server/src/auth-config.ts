import { noopAuditSink, type AuditSink, type LoginLimiter, type PasswordHasher, type SessionManager } from '@acme/auth-core'
import type { Request } from 'express'
import * as v from 'valibot'
import type { AuthOptions, AuthTokenOptions } from './auth-options.js'
import { normalizeOrigin } from './csrf.js'
import type { UserDirectory } from './user-directory.js'

/** The validated, frozen form of {@link AuthOptions}. */
export interface AuthConfig {
  sessions: SessionManager
  users: UserDirectory
  passwords: PasswordHasher
  audit: AuditSink
  strategy: 'session' | 'token'
  tokens: AuthTokenOptions | undefined
  origins: ReadonlySet<string>
  secret: Buffer
  basePath: string
  insecureDevelopmentCookies: boolean
  csrfExempt: ((req: Request) => boolean) | undefined
  limiter: LoginLimiter | undefined
}

const withMethods = (...methods: string[]) =>
  v.custom<object>(
    (value) => typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    `must be an object with ${methods.join(', ')}`,
  )

const origin = v.pipe(
  v.string(),
  v.check((value) => normalizeOrigin(value) === value.replace(/\/$/, ''), 'must be an origin like https://app.example.com'),
)

const schema = v.object({
  sessions: withMethods('create', 'validate', 'rotate', 'revoke', 'revokeAllForUser', 'listForUser'),
  users: withMethods('findByEmail', 'findById'),
  passwords: withMethods('hash', 'verify', 'needsRehash'),
  audit: v.optional(withMethods('emit')),
  strategy: v.optional(v.picklist(['session', 'token'])),
  tokens: v.optional(
    v.object({
      keyRing: withMethods('signingKey', 'verificationKey', 'jwks', 'rotate', 'list'),
      accessTokens: withMethods('issue'),
      refreshFamilies: withMethods('issue', 'rotate', 'revokeToken', 'revokeAllForUser'),
      verifier: v.optional(withMethods('verify')),
      nativeClients: v.optional(v.boolean()),
    }),
  ),
  http: v.object({
    origin: v.union([origin, v.pipe(v.array(origin), v.minLength(1))]),
    secret: v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters')),
    basePath: v.optional(v.pipe(v.string(), v.regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, "must look like '/auth'"))),
    insecureDevelopmentCookies: v.optional(v.boolean()),
    csrfExempt: v.optional(v.function()),
    limiter: v.optional(withMethods('attempt', 'recordSuccess')),
  }),
})

/** Validates options once; throws a TypeError naming the first bad option path. */
export function resolveAuthConfig(options: AuthOptions): Readonly<AuthConfig> {
  const result = v.safeParse(schema, options)
  if (!result.success) {
    const issue = result.issues[0]
    const path = v.getDotPath(issue) ?? ''
    throw new TypeError(`createAuth: options.${path} ${issue.message}`)
  }
  if (options.strategy === 'token' && !options.tokens) {
    throw new TypeError("createAuth: options.tokens is required when options.strategy is 'token'")
  }
  const http = options.http
  const origins = new Set((typeof http.origin === 'string' ? [http.origin] : http.origin).map(normalizeOrigin))
  return Object.freeze({
    sessions: options.sessions,
    users: options.users,
    passwords: options.passwords,
    audit: options.audit ?? noopAuditSink,
    strategy: options.strategy ?? 'session',
    tokens: options.tokens,
    origins,
    secret: Buffer.from(http.secret),
    basePath: http.basePath ?? '/auth',
    insecureDevelopmentCookies: http.insecureDevelopmentCookies ?? false,
    csrfExempt: http.csrfExempt,
    limiter: http.limiter,
  })
}
