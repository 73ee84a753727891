import type { PoolClient } from 'pg'
import type { SessionInvalidation } from '../sessions/session-store.js'
import type { PostgresPool } from './postgres-client.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'

const firstRetryMs = 100
const maxRetryMs = 5_000

/** How often the listening connection proves it is alive, and how long an answer may take. */
export interface ListenHeartbeat {
  /** @default 5000 */
  intervalMs?: number
  /** @default 2000 */
  timeoutMs?: number
}

/** Parses a notice payload: a JSON array of session ids, or `"all"`. Anything else means "all". */
export function parseInvalidation(payload: string | undefined): SessionInvalidation {
  try {
    const ids: unknown = JSON.parse(payload ?? '')
    if (Array.isArray(ids)) return ids.filter((id): id is string => typeof id === 'string')
  } catch {
    // fall through: a notice we cannot read may have named any session
  }
  return 'all'
}

/**
 * `LISTEN` on one dedicated pooled connection, re-established with backoff when it drops. While it
 * is down, notices are lost: it reports `'all'` when it goes down and again once it listens again,
 * and {@link healthy} tells the store to keep the manager's cache bypassed meanwhile.
 *
 * A dropped connection announces itself; a frozen one (a partition, a stopped server) does not,
 * and TCP keepalive may take minutes. So the connection runs `SELECT 1` every `intervalMs`: no
 * answer within `timeoutMs` counts as lost, and the caches stop trusting the channel at once.
 */
export class PostgresInvalidationListener {
  readonly #pool: PostgresPool
  readonly #channel: string
  readonly #emit: (invalidation: SessionInvalidation) => void
  #connection: { client: PoolClient; drop(): void } | undefined
  #started = false
  #closed = false
  #retryMs = firstRetryMs
  #timer: ReturnType<typeof setTimeout> | undefined
  #ready: Promise<void> = Promise.resolve()
  #resolveReady: () => void = () => {}
  readonly #heartbeat: Required<ListenHeartbeat> | undefined
  readonly #metrics: AuthMetrics | undefined
  #listenedBefore = false
  #stopReporting: (() => void) | undefined

  constructor(
    pool: PostgresPool,
    channel: string,
    emit: (invalidation: SessionInvalidation) => void,
    heartbeat: ListenHeartbeat | false = {},
    metrics?: AuthMetrics,
  ) {
    this.#pool = pool
    this.#channel = channel
    this.#emit = emit
    this.#metrics = metrics
    this.#heartbeat = heartbeat === false ? undefined : { intervalMs: heartbeat.intervalMs ?? 5_000, timeoutMs: heartbeat.timeoutMs ?? 2_000 }
  }

  /** Whether notices are flowing right now. */
  get healthy(): boolean {
    return this.#connection !== undefined
  }

  /** Resolves once the channel is listened to (at once when never started). */
  ready(): Promise<void> {
    return this.#ready
  }

  start(): void {
    if (this.#started || this.#closed) return
    this.#started = true
    this.#stopReporting = this.#metrics?.revocationListener('postgres', () => this.healthy)
    this.#ready = new Promise((resolve) => (this.#resolveReady = resolve))
    void this.#connect()
  }

  /** Stops listening and closes the dedicated connection (it is not returned to the pool). */
  close(): void {
    this.#closed = true
    this.#stopReporting?.()
    this.#stopReporting = undefined
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#resolveReady()
    this.#connection?.drop()
    this.#connection = undefined
  }

  async #connect(): Promise<void> {
    let client: PoolClient
    try {
      client = await this.#pool.connect()
    } catch {
      this.#retry()
      return
    }
    let dropped = false
    let beat: ReturnType<typeof setInterval> | undefined
    // The connection holds a LISTEN: destroy it rather than hand it back to the pool.
    const drop = () => {
      if (dropped) return
      dropped = true
      if (beat !== undefined) clearInterval(beat)
      client.removeAllListeners('notification')
      client.release(true)
    }
    const connection = { client, drop }
    const lost = () => {
      if (dropped) return
      drop()
      if (this.#connection === connection) {
        this.#connection = undefined
        this.#emit('all')
      }
      this.#retry()
    }
    if (this.#closed) return drop()
    client.on('notification', (message) => {
      if (message.channel === this.#channel) this.#emit(parseInvalidation(message.payload))
    })
    client.on('error', lost)
    client.on('end', lost)
    try {
      await client.query(`LISTEN "${this.#channel}"`)
    } catch {
      return lost()
    }
    if (this.#closed) return drop()
    if (dropped) return
    this.#connection = connection
    this.#retryMs = firstRetryMs
    if (this.#listenedBefore) this.#metrics?.revocationListenerReconnect('postgres')
    this.#listenedBefore = true
    const heartbeat = this.#heartbeat
    if (heartbeat) {
      let pending = false
      // Real time on purpose: liveness of a connection, not a business rule.
      beat = setInterval(() => {
        if (pending) return
        pending = true
        let timer: ReturnType<typeof setTimeout> | undefined
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), heartbeat.timeoutMs)))
        void Promise.race([client.query('SELECT 1').then(() => 'ok' as const, () => 'failed' as const), late]).then((outcome) => {
          clearTimeout(timer)
          pending = false
          if (outcome !== 'ok') lost()
        })
      }, heartbeat.intervalMs)
      beat.unref?.()
    }
    // Anything revoked before LISTEN took effect was not heard: drop every cached session.
    this.#emit('all')
    this.#resolveReady()
  }

  #retry(): void {
    if (this.#closed || this.#timer !== undefined) return
    // Real time on purpose: a reconnect backoff, not a business rule.
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#connect()
    }, this.#retryMs)
    this.#timer.unref?.()
    this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2)
  }
}
