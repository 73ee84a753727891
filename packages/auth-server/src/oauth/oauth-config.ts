import { createRequestLimiter, MemoryOneTimeTokenStore, systemClock, type Clock, type OneTimeTokenStore, type RequestLimiter } from '@acme/auth-core'
import * as v from 'valibot'
import { routeLimit, routeLimitOf } from '../config/auth-config.js'
import { normalizeOrigin } from '../csrf/csrf.js'
import type { OAuthOptions, OAuthProviderOptions, OAuthUsers } from './oauth-options.js'
import { MemoryProviderTokenStore, type ProviderTokenStore } from './provider-token-store.js'
import { safeReturnTo } from './return-to.js'

/** The validated, frozen form of {@link OAuthOptions}. */
export interface OAuthConfig {
  providers: ReadonlyMap<string, OAuthProviderOptions>
  users: OAuthUsers
  secrets: readonly string[]
  origin: string
  basePath: string
  errorPage: string
  secureCookies: boolean
  transactions: OneTimeTokenStore
  tokens: ProviderTokenStore
  clock: Clock
  /** The per-IP limit of `GET /:provider`, or none. */
  startLimiter: RequestLimiter | undefined
}

/** Starts default to 60 a minute per IP. */
export const defaultStartLimit = { maxRequests: 60, windowSeconds: 60, blockSeconds: 60 }
/** The default memory transaction store holds at most this many pending sign-ins. */
export const defaultMaxPendingTransactions = 10_000

const withMethods = (...methods: string[]) =>
  v.custom<object>(
    (value) => typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    `must be an object with ${methods.join(', ')}`,
  )
const secret = v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))
const httpUrl = v.pipe(
  v.string(),
  v.check((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'must be an http(s) URL'),
)
const common = {
  clientId: v.pipe(v.string(), v.minLength(1)),
  clientSecret: v.optional(v.pipe(v.string(), v.minLength(1))),
  clientAuthentication: v.optional(v.picklist(['client_secret_basic', 'client_secret_post'])),
  scopes: v.optional(v.array(v.pipe(v.string(), v.regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token')))),
  allowInsecureRequests: v.optional(v.boolean()),
  fetch: v.optional(v.function()),
}
const provider = v.union([
  v.object({ ...common, issuer: httpUrl, userinfo: v.optional(v.boolean()), profile: v.optional(v.function()) }),
  v.object({
    ...common,
    endpoints: v.object({
      authorization: httpUrl,
      token: httpUrl,
      userinfo: httpUrl,
      issuer: v.optional(v.pipe(v.string(), v.minLength(1))),
      resources: v.optional(v.record(v.pipe(v.string(), v.minLength(1)), httpUrl)),
    }),
    profile: v.optional(v.function()),
  }),
])

const schema = v.object({
  providers: v.pipe(
    v.record(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'names must be 1-32 of a-z, 0-9, _ and -')), provider),
    v.check((value) => Object.keys(value).length > 0, 'must name at least one provider'),
  ),
  users: withMethods('findOrCreate'),
  secret: v.union([secret, v.pipe(v.array(secret), v.minLength(1))]),
  http: v.object({
    origin: v.pipe(v.string(), v.check((value) => normalizeOrigin(value) === value.replace(/\/$/, ''), 'must be an origin like https://app.example.com')),
    basePath: v.optional(v.pipe(v.string(), v.regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, "must look like '/auth/oauth'"))),
    errorPage: v.optional(v.pipe(v.string(), v.check((value) => safeReturnTo(value, '') === value, 'must be a same-origin path like /sign-in-failed'))),
    insecureDevelopmentCookies: v.optional(v.boolean()),
  }),
  stores: v.optional(v.object({ transactions: v.optional(withMethods('save', 'consumeOne')), tokens: v.optional(withMethods('get', 'set', 'delete')) })),
  clock: v.optional(withMethods('now')),
  limits: v.optional(
    v.union(
      [
        v.literal(false),
        v.object({
          start: v.optional(v.union([v.literal(false), routeLimit])),
          store: v.optional(v.union([v.literal('memory'), withMethods('add', 'get', 'delete')])),
          maxPendingTransactions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
        }),
      ],
      'must be false or an object of limits',
    ),
  ),
})

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Validates options once; throws a TypeError naming the first bad option path. */
export function resolveOAuthConfig(options: OAuthOptions): Readonly<OAuthConfig> {
  const result = v.safeParse(schema, options)
  if (!result.success) {
    const issue = result.issues[0]
    throw new TypeError(`createOAuth: options.${v.getDotPath(issue) ?? ''} ${issue.message}`)
  }
  for (const [name, entry] of Object.entries(options.providers)) {
    const urls =
      'issuer' in entry
        ? [entry.issuer]
        : [entry.endpoints.authorization, entry.endpoints.token, entry.endpoints.userinfo, ...Object.values(entry.endpoints.resources ?? {})]
    for (const url of urls) {
      const { protocol, hostname } = new URL(url)
      if (protocol === 'http:' && !(entry.allowInsecureRequests === true && loopback.has(hostname))) {
        throw new TypeError(`createOAuth: options.providers.${name} uses http:// (allowed only with allowInsecureRequests, on a loopback host)`)
      }
    }
  }
  const { http } = options
  const clock = options.clock ?? systemClock
  const limits = options.limits === false ? { start: false as const } : (options.limits ?? {})
  const startLimiter =
    limits.start === false
      ? undefined
      : createRequestLimiter({ ...routeLimitOf(limits.start, defaultStartLimit), store: limits.store ?? 'memory', clock, keyPrefix: 'route:oauth' })
  const maxRecords = options.limits === false ? defaultMaxPendingTransactions : (options.limits?.maxPendingTransactions ?? defaultMaxPendingTransactions)
  return Object.freeze({
    providers: new Map(Object.entries(options.providers)),
    users: options.users,
    secrets: typeof options.secret === 'string' ? [options.secret] : [...options.secret],
    origin: normalizeOrigin(http.origin),
    basePath: http.basePath ?? '/auth/oauth',
    errorPage: http.errorPage ?? '/',
    secureCookies: http.insecureDevelopmentCookies !== true,
    transactions: options.stores?.transactions ?? new MemoryOneTimeTokenStore({ maxRecords }),
    tokens: options.stores?.tokens ?? new MemoryProviderTokenStore(),
    clock,
    startLimiter,
  })
}
