import {
  createLoginLimiter,
  createRequestLimiter,
  MemoryRateLimitStore,
  noopAuditSink,
  systemClock,
  type AuditSink,
  type LoginLimiter,
  type PasswordHasher,
  type RateLimitStore,
  type RequestLimiter,
  type SessionManager,
} from '@acme/auth-core'
import type { Exchange } from '../http/exchange.js'
import * as v from 'valibot'
import type { AuthLimitsOptions, AuthOptions, AuthTokenOptions, RouteLimitOptions } from './auth-options.js'
import { normalizeOrigin } from '../csrf/csrf.js'
import type { UserDirectory } from '../core/user-directory.js'
import { accountLimitsSchema, accountsSchema, resolveAccountsConfig, type AccountsConfig } from '../accounts/accounts-config.js'
import { resolveSecondFactors, secondFactorsSchema, type SecondFactors } from './second-factors-config.js'

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
  csrfExempt: ((ex: Exchange) => boolean) | undefined
  /** `POST /login`'s limiter, or none when limits are off. */
  limiter: LoginLimiter | undefined
  /** Per-IP limits of `/refresh`, `/token` and `/revoke` (keys `<route>|<ip>`), or none. */
  tokenRouteLimiter: RequestLimiter | undefined
  /** The account routes' settings, or none (those routes answer 404). */
  accounts: AccountsConfig | undefined
  /** TOTP, recovery codes and the MFA gate, or none. */
  secondFactors: SecondFactors | undefined
}

/** Route limits default to 60 requests a minute per IP and route. */
export const defaultTokenRouteLimit = { maxRequests: 60, windowSeconds: 60, blockSeconds: 60 }

const withMethods = (...methods: string[]) =>
  v.custom<object>(
    (value) => typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    `must be an object with ${methods.join(', ')}`,
  )

const origin = v.pipe(
  v.string(),
  v.check((value) => normalizeOrigin(value) === value.replace(/\/$/, ''), 'must be an origin like https://app.example.com'),
)

const count = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000)))
/** A route's per-IP limit, as `http.limits.tokenRoutes` and createOAuth's `limits.start` take it. */
export const routeLimit = v.object({ maxRequests: count, windowSeconds: count, blockSeconds: count })
const audience = v.pipe(v.string(), v.minLength(1), v.maxLength(512))

const schema = v.object({
  sessions: withMethods('create', 'validate', 'rotate', 'revoke', 'revokeAllForUser', 'listForUser', 'touch', 'updateRoles'),
  users: withMethods('findByEmail', 'findById'),
  passwords: withMethods('hash', 'verify', 'needsRehash'),
  audit: v.optional(withMethods('emit')),
  strategy: v.optional(v.picklist(['session', 'token'])),
  secondFactors: v.optional(secondFactorsSchema),
  tokens: v.optional(
    v.object({
      keyRing: withMethods('signingKey', 'verificationKey', 'jwks', 'rotate', 'list'),
      accessTokens: withMethods('issue'),
      refreshFamilies: v.pipe(
        withMethods('issue', 'rotate', 'revokeToken', 'inspect', 'revokeAllForUser', 'updateRoles'),
        v.check(
          (families) => (families as { bindsSessions?: unknown }).bindsSessions === true,
          'must be created with { sessions } (createRefreshFamilies({ store, accessTokens, sessions }))',
        ),
      ),
      verifier: v.optional(withMethods('verify')),
      verifierCache: v.optional(
        v.union(
          [v.literal(false), v.strictObject({ maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000_000))) })],
          'must be false or { maxEntries }',
        ),
      ),
      nativeClients: v.optional(v.boolean()),
      nativeAudience: v.optional(v.union([audience, v.pipe(v.array(audience), v.minLength(1))])),
    }),
  ),
  http: v.object({
    origin: v.union([origin, v.pipe(v.array(origin), v.minLength(1))]),
    secret: v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters')),
    basePath: v.optional(v.pipe(v.string(), v.regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, "must look like '/auth'"))),
    insecureDevelopmentCookies: v.optional(v.boolean()),
    csrfExempt: v.optional(v.function()),
    limiter: v.optional(withMethods('attempt', 'recordSuccess')),
    limits: v.optional(
      v.union(
        [
          v.literal(false),
          v.object({
            store: v.optional(v.union([v.literal('memory'), withMethods('add', 'get', 'delete')])),
            login: v.optional(v.union([v.literal(false), v.custom<object>((value) => typeof value === 'object' && value !== null, 'must be an object')])),
            tokenRoutes: v.optional(v.union([v.literal(false), routeLimit])),
            accounts: accountLimitsSchema,
            clock: v.optional(withMethods('now')),
          }),
        ],
        'must be false or an object of limits',
      ),
    ),
  }),
  accounts: accountsSchema,
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
  if (http.limiter !== undefined && http.limits !== undefined && http.limits !== false && http.limits.login !== undefined) {
    throw new TypeError('createAuth: options.http.limiter and options.http.limits.login cannot both be set (limiter is the old name)')
  }
  const { limiter, tokenRouteLimiter, backend } = resolveLimits(http.limits, http.limiter)
  const origins = new Set((typeof http.origin === 'string' ? [http.origin] : http.origin).map(normalizeOrigin))
  const audit = options.audit ?? noopAuditSink
  const secondFactors = options.secondFactors
    ? resolveSecondFactors(options.secondFactors, { secret: http.secret, origin: [...origins][0]!, audit, limitStore: backend.store })
    : undefined
  return Object.freeze({
    sessions: options.sessions,
    users: options.users,
    passwords: options.passwords,
    audit,
    strategy: options.strategy ?? 'session',
    tokens: options.tokens,
    origins,
    secret: Buffer.from(http.secret),
    basePath: http.basePath ?? '/auth',
    insecureDevelopmentCookies: http.insecureDevelopmentCookies ?? false,
    csrfExempt: http.csrfExempt,
    limiter,
    tokenRouteLimiter,
    accounts: resolveAccountsConfig(options.accounts, http.limits, backend),
    secondFactors,
  })
}

function resolveLimits(limits: false | AuthLimitsOptions | undefined, legacy: LoginLimiter | undefined) {
  const input = limits === false ? {} : (limits ?? {})
  const clock = input.clock ?? systemClock
  const store: RateLimitStore = input.store === undefined || input.store === 'memory' ? new MemoryRateLimitStore() : input.store
  const backend = { store, clock }
  if (limits === false) return { limiter: legacy, tokenRouteLimiter: undefined, backend }
  let limiter: LoginLimiter | undefined = legacy
  const login = input.login
  if (legacy === undefined && login !== false) {
    if (login !== undefined && typeof (login as Partial<LoginLimiter>).attempt === 'function') limiter = login as LoginLimiter
    else {
      try {
        limiter = createLoginLimiter({ ...(login ?? {}), store, clock })
      } catch (error) {
        throw new TypeError(`createAuth: ${(error as Error).message.replace(/^options\./, 'options.http.limits.login.')}`)
      }
    }
  }
  const route = input.tokenRoutes
  const tokenRouteLimiter =
    route === false
      ? undefined
      : createRequestLimiter({ ...routeLimitOf(route, defaultTokenRouteLimit), store, clock, keyPrefix: 'route:auth' })
  return { limiter, tokenRouteLimiter, backend }
}

/** A route limit with its defaults filled in; `blockSeconds` follows a given `windowSeconds`. */
export function routeLimitOf(value: RouteLimitOptions | undefined, defaults: Required<RouteLimitOptions>): Required<RouteLimitOptions> {
  const windowSeconds = value?.windowSeconds ?? defaults.windowSeconds
  return {
    maxRequests: value?.maxRequests ?? defaults.maxRequests,
    windowSeconds,
    blockSeconds: value?.blockSeconds ?? (value?.windowSeconds === undefined ? defaults.blockSeconds : windowSeconds),
  }
}
