import { importJWK, type CryptoKey, type JWK } from 'jose'
import { noopAuditSink, type AuditEvent } from '../audit/audit-event.js'
import { systemClock } from '../clock.js'
import { AuthError } from '../errors.js'
import { createKeyEncryption } from './key-encryption.js'
import { generateSigningKey } from './key-generation.js'
import { resolveKeyRingConfig, type KeyRingOptions } from './key-ring-config.js'
import { isRotationDue, pendingKeyAt, planRotation, pruneRemoved } from './key-ring-plan.js'
import {
  activeKeyAt,
  keyStatusAt,
  type KeyRingState,
  type KeyStatus,
  type PublicJwk,
  type SigningAlgorithm,
  type SigningKeyInfo,
  type StoredSigningKey,
} from './signing-key.js'
import { withStoreLock } from './lib/store-lock.js'
import { verificationKeyNowKey, type VerificationKeyNowHook } from './verification-key-now.js'
import { createAuthMetrics } from '../metrics/auth-metrics.js'

export type { KeyRingOptions } from './key-ring-config.js'

/** The key that signs now, ready for `jose`. */
export interface SigningKey {
  kid: string
  alg: SigningAlgorithm
  key: CryptoKey
}

/** A published public key, ready for `jose`. */
export interface VerificationKey {
  kid: string
  alg: SigningAlgorithm
  status: KeyStatus
  key: CryptoKey
}

/** What `rotate()` may be told. */
export interface RotateKeyOptions {
  /**
   * The current keys may be compromised: the new key signs at once and every other key is
   * removed at once (tokens they signed stop verifying). Without it, the new key is published
   * as `next` and signs after `promoteDelaySeconds`.
   * @default false
   */
  compromised?: boolean
  /**
   * Who asked, as the `KEY_ROTATED` event's `data.trigger` records it: `manual` (the app), `cli`
   * (the operator CLI).
   * @default 'manual'
   */
  trigger?: 'manual' | 'cli'
}

/** The signing-key ring of one instance over a shared key store; see {@link createKeyRing}. */
export interface KeyRing {
  /** Algorithm of new keys. */
  readonly alg: SigningAlgorithm
  /** The `Cache-Control: max-age` to send with the JWKS. */
  readonly jwksMaxAgeSeconds: number
  /**
   * Loads the ring (making the first key when the store is empty) and decrypts every private key.
   * Call it at start-up: a missing or wrong secret fails here with `ERR_KEY_ENCRYPTION`.
   */
  ready(): Promise<void>
  /** The key that signs now. Throws `ERR_NO_SIGNING_KEY` when the ring has none. */
  signingKey(): Promise<SigningKey>
  /** The published key `kid` (next, active or retired), or `null`. An unknown kid re-reads the store once per cooldown. */
  verificationKey(kid: string): Promise<VerificationKey | null>
  /** The public JWKS: `{ keys }` with `kid`, `alg`, `use: "sig"`, never private members. */
  jwks(): Promise<{ keys: PublicJwk[] }>
  /** The keys and their status now (no key material). */
  list(): Promise<SigningKeyInfo[]>
  /** Rotates now (manual or incident). Returns the new key, or the already pending `next` key. */
  rotate(options?: RotateKeyOptions): Promise<SigningKeyInfo>
  /** One scheduled tick: removes expired keys and rotates when due; only one instance acts (store lock). */
  maintain(): Promise<void>
  /** Runs `maintain()` now and then every minute until `stop()`. */
  start(): void
  stop(): void
}

const LOCK = 'key-rotation'
const LOCK_TTL_MS = 30_000
const UNKNOWN_KID_COOLDOWN_MS = 5_000
const TICK_MS = 60_000

/**
 * Creates the signing-key ring: asymmetric keys shared by every instance through the key store,
 * private halves encrypted at rest, rotated with overlap (`next` → `active` → `retired` → removed).
 *
 * @example
 * ```ts
 * import { createKeyRing, MemoryKeyStore } from '@acme/auth-core'
 *
 * const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: process.env.KEY_SECRET! })
 * await keyRing.ready()          // fails fast on a wrong secret
 * keyRing.start()                // scheduled rotation (every 30 days by default)
 * const jwks = await keyRing.jwks() // serve at /.well-known/jwks.json
 * ```
 */
export function createKeyRing(options: KeyRingOptions): KeyRing {
  const config = resolveKeyRingConfig(options)
  const { store } = config
  const clock = config.clock ?? systemClock
  const audit = config.audit ?? noopAuditSink
  const keyMetrics = createAuthMetrics()
  const encryption = createKeyEncryption(config.secrets)
  const privateKeys = new Map<string, Promise<CryptoKey>>()
  const publicKeys = new Map<string, Promise<CryptoKey>>()
  /** The public keys whose import finished: the synchronous lookup serves only these. */
  const importedPublicKeys = new Map<string, CryptoKey>()
  let cached: { state: KeyRingState; loadedAt: number } | undefined
  let loading: Promise<KeyRingState> | undefined
  let lastUnknownKidReload = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setInterval> | undefined

  const emit = (event: Omit<AuditEvent, 'at' | 'outcome'>) => {
    try {
      audit.emit({ ...event, outcome: 'success', at: new Date(clock.now()).toISOString() })
    } catch {
      // An audit sink must never break signing.
    }
  }

  const reload = (): Promise<KeyRingState> => {
    loading ??= store
      .load()
      .then((state) => {
        cached = { state, loadedAt: clock.now() }
        return state
      })
      .finally(() => (loading = undefined))
    return loading
  }

  /** The ring, from the local copy while it is fresh; makes the first key when there is none. */
  const current = async (): Promise<KeyRingState> => {
    const now = clock.now()
    let state = cached && now - cached.loadedAt < config.refreshMs ? cached.state : await reload()
    if (!activeKeyAt(state.keys, now)) {
      await withStoreLock(store, LOCK, LOCK_TTL_MS, 'wait', async () => {
        const fresh = await reload()
        if (!activeKeyAt(fresh.keys, clock.now())) await commitRotation(fresh, { compromised: false, trigger: 'bootstrap' })
      })
      state = await reload()
    }
    return state
  }

  const commitRotation = async (
    state: KeyRingState,
    how: { compromised: boolean; trigger: 'bootstrap' | 'manual' | 'scheduled' | 'cli' },
  ): Promise<StoredSigningKey> => {
    const now = clock.now()
    const previous = activeKeyAt(state.keys, now)
    const immediate = how.compromised || previous === undefined
    const fresh = await generateSigningKey(config.alg, encryption, {
      createdAt: now,
      activatesAt: immediate ? now : now + config.promoteDelayMs,
    })
    const plan = planRotation(state.keys, fresh, now, { retainMs: config.retainMs, compromised: how.compromised })
    if (!(await store.compareAndSet(plan.keys, state.version))) {
      throw new AuthError('ERR_STORE_UNAVAILABLE', 'the key ring changed during rotation (lock expired?); try again')
    }
    await reload()
    keyMetrics.keyRotation(how.compromised ? 'compromised' : 'scheduled')
    emit({
      type: 'KEY_ROTATED',
      data: { kid: fresh.kid, alg: fresh.alg, previousKid: previous?.kid ?? null, activatesAt: new Date(fresh.activatesAt).toISOString(), compromised: how.compromised, trigger: how.trigger },
    })
    for (const key of plan.removed) emit({ type: 'KEY_REMOVED', reason: how.compromised ? 'compromised' : 'expired', data: { kid: key.kid } })
    return fresh
  }

  const info = (key: StoredSigningKey, now: number): SigningKeyInfo => ({
    kid: key.kid,
    alg: key.alg,
    status: keyStatusAt(key, now) as KeyStatus,
    createdAt: key.createdAt,
    activatesAt: key.activatesAt,
    retiresAt: key.retiresAt,
    removesAt: key.removesAt,
  })

  const published = (state: KeyRingState, now: number) => state.keys.filter((key) => keyStatusAt(key, now) !== 'removed')

  const privateKey = (key: StoredSigningKey): Promise<CryptoKey> => {
    let imported = privateKeys.get(key.kid)
    if (!imported) {
      imported = encryption
        .open(key.kid, key.sealedPrivateKey)
        .then((json) => importJWK(JSON.parse(json) as JWK, key.alg) as Promise<CryptoKey>)
      imported.catch(() => privateKeys.delete(key.kid))
      privateKeys.set(key.kid, imported)
    }
    return imported
  }

  const publicKey = (key: StoredSigningKey): Promise<CryptoKey> => {
    let imported = publicKeys.get(key.kid)
    if (!imported) {
      imported = importJWK(key.publicJwk as JWK, key.alg) as Promise<CryptoKey>
      // A failed import reaches the callers that await `imported`; here it only stays out of the map.
      imported.then((value) => importedPublicKeys.set(key.kid, value), () => undefined)
      publicKeys.set(key.kid, imported)
    }
    return imported
  }

  const ring: KeyRing = {
    alg: config.alg,
    jwksMaxAgeSeconds: config.jwksMaxAgeSeconds,
    async ready() {
      const state = await current()
      await Promise.all(published(state, clock.now()).map(privateKey))
    },
    async signingKey() {
      const state = await current()
      const key = activeKeyAt(state.keys, clock.now())
      if (!key) throw new AuthError('ERR_NO_SIGNING_KEY', 'the key ring has no active signing key')
      return { kid: key.kid, alg: key.alg, key: await privateKey(key) }
    },
    async verificationKey(kid) {
      let state = await current()
      let key = state.keys.find((candidate) => candidate.kid === kid)
      // A kid we do not know may come from a rotation another instance just made; re-read, but at
      // most once per cooldown so forged kids cannot turn every request into a store read.
      if (!key && clock.now() - lastUnknownKidReload >= UNKNOWN_KID_COOLDOWN_MS) {
        lastUnknownKidReload = clock.now()
        state = await reload()
        key = state.keys.find((candidate) => candidate.kid === kid)
      }
      const status = key ? keyStatusAt(key, clock.now()) : 'removed'
      if (!key || status === 'removed') return null
      return { kid: key.kid, alg: key.alg, status, key: await publicKey(key) }
    },
    async jwks() {
      const state = await current()
      return { keys: published(state, clock.now()).map((key) => ({ ...key.publicJwk })) }
    },
    async list() {
      const state = await current()
      const now = clock.now()
      return published(state, now).map((key) => info(key, now))
    },
    async rotate(rotateOptions = {}) {
      const compromised = rotateOptions.compromised === true
      const trigger = rotateOptions.trigger ?? 'manual'
      if (trigger !== 'manual' && trigger !== 'cli') throw new TypeError("options.trigger must be 'manual' or 'cli'")
      return withStoreLock(store, LOCK, LOCK_TTL_MS, 'wait', async () => {
        const state = await reload()
        const pending = compromised ? undefined : pendingKeyAt(state.keys, clock.now())
        const key = pending ?? (await commitRotation(state, { compromised, trigger }))
        return info(key, clock.now())
      })
    },
    async maintain() {
      await current()
      await withStoreLock(store, LOCK, LOCK_TTL_MS, 'skip', async () => {
        const state = await reload()
        const now = clock.now()
        if (isRotationDue(state.keys, now, config.intervalMs)) {
          await commitRotation(state, { compromised: false, trigger: 'scheduled' })
          return
        }
        const pruned = pruneRemoved(state.keys, now)
        if (pruned.removed.length === 0) return
        if (await store.compareAndSet(pruned.keys, state.version)) {
          for (const key of pruned.removed) emit({ type: 'KEY_REMOVED', reason: 'expired', data: { kid: key.kid } })
        }
        await reload()
      })
    },
    start() {
      if (timer !== undefined) return
      const tick = () => void ring.maintain().catch(() => {
        // The next tick retries; signing keeps working from the current ring meanwhile.
      })
      timer = setInterval(tick, TICK_MS)
      ;(timer as { unref?: () => void }).unref?.()
      tick()
    },
    stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
    },
  }
  const now: VerificationKeyNowHook['now'] = (kid) => {
    const at = clock.now()
    // Only a fresh copy with an active key answers here: anything else (a reload, a bootstrap, the
    // unknown-kid re-read) is what verificationKey does.
    if (!cached || at - cached.loadedAt >= config.refreshMs || !activeKeyAt(cached.state.keys, at)) return undefined
    const key = cached.state.keys.find((candidate) => candidate.kid === kid)
    if (!key) return undefined
    const status = keyStatusAt(key, at)
    if (status === 'removed') return null
    const imported = importedPublicKeys.get(kid)
    return imported === undefined ? undefined : { kid: key.kid, alg: key.alg, status, key: imported }
  }
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to compare by identity, never called
  Object.defineProperty(ring, verificationKeyNowKey, { value: Object.freeze({ verificationKey: ring.verificationKey, now }), enumerable: true })
  return Object.freeze(ring)
}
