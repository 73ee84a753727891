import type { AuditSink } from '../audit/audit-event.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type { Clock } from '../clock.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import type { SessionManager } from '../sessions/session-manager.js'
import type { AccessTokens } from '../tokens/access-tokens.js'
import type { RefreshStore } from './refresh-store.js'

const day = 86_400

/** Options of {@link createRefreshFamilies}. */
export interface RefreshFamiliesOptions {
  /** Where families live: `MemoryRefreshStore`, `RedisRefreshStore`, or your own. */
  store: RefreshStore
  /** Issues the access token of each pair. */
  accessTokens: Pick<AccessTokens, 'issue'>
  /**
   * The session manager whose sessions the families belong to (the `sid` of each grant). With it
   * a family lives only while its session lives: each rotation slides the session (`touch`) and a
   * family whose session has ended is revoked (`ERR_REFRESH_SESSION_ENDED`); `revokeToken` ends
   * the session too. Leave it out only for grants that have no session.
   * @default none
   */
  sessions?: Pick<SessionManager, 'touch' | 'revoke'>
  /** @default systemClock */
  clock?: Clock
  /** @default a sink that drops events */
  audit?: AuditSink
  /** Refresh outcomes and latency, revoked families, store latency. @default createAuthMetrics() (the global meter provider) */
  metrics?: AuthMetrics
  /**
   * For this long after a rotation, the immediate predecessor gets the SAME successor back (a
   * lost response, a race) instead of revoking the family. 0 disables; at most 60.
   * @default 10
   */
  graceSeconds?: number
  expiry?: {
    /** A family unused this long expires; each rotation slides it. @default 1209600 (14 days) */
    idleSeconds?: number
    /** A family expires this long after it began, used or not. @default 7776000 (90 days) */
    absoluteSeconds?: number
  }
}

export interface RefreshFamiliesConfig {
  store: RefreshStore
  accessTokens: Pick<AccessTokens, 'issue'>
  sessions: Pick<SessionManager, 'touch' | 'revoke'> | undefined
  clock: Clock | undefined
  audit: AuditSink | undefined
  metrics: AuthMetrics | undefined
  graceMs: number
  idleMs: number
  absoluteMs: number
}

export function resolveRefreshFamiliesConfig(options: RefreshFamiliesOptions): Readonly<RefreshFamiliesConfig> {
  const input = requireObject(options, 'options')
  const store = requireMethods<RefreshStore>(input.store, 'options.store', [
    'create', 'find', 'rotate', 'revokeFamily', 'revokeAllForUser', 'updateRolesForUser', 'acquireLock', 'releaseLock',
  ])
  const accessTokens = requireMethods<Pick<AccessTokens, 'issue'>>(input.accessTokens, 'options.accessTokens', ['issue'])
  const sessions =
    input.sessions === undefined ? undefined : requireMethods<Pick<SessionManager, 'touch' | 'revoke'>>(input.sessions, 'options.sessions', ['touch', 'revoke'])
  const clock = input.clock === undefined ? undefined : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const audit = input.audit === undefined ? undefined : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const metrics = input.metrics === undefined ? undefined : requireMethods<AuthMetrics>(input.metrics, 'options.metrics', ['refresh', 'revocation', 'storeOperation'])
  const graceSeconds = optionalNumber(input.graceSeconds, 'options.graceSeconds', 10, { min: 0, max: 60 })
  const expiry = input.expiry === undefined ? {} : requireObject(input.expiry, 'options.expiry')
  const absoluteSeconds = optionalNumber(expiry.absoluteSeconds, 'options.expiry.absoluteSeconds', 90 * day, { min: 60, max: 400 * day })
  const idleSeconds = optionalNumber(expiry.idleSeconds, 'options.expiry.idleSeconds', Math.min(14 * day, absoluteSeconds), { min: 60, max: absoluteSeconds })
  return Object.freeze({
    store,
    accessTokens,
    sessions,
    clock,
    audit,
    metrics,
    graceMs: graceSeconds * 1000,
    idleMs: idleSeconds * 1000,
    absoluteMs: absoluteSeconds * 1000,
  })
}
