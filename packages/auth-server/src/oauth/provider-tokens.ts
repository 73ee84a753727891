import type { Clock } from '@acme/auth-core'
import type { ProviderTokens } from './oauth-provider.js'
import type { ProviderTokenStore } from './provider-token-store.js'
import type { SealedBox } from './sealed-box.js'

/** A session's tokens from the provider it signed in with. Internal; never leaves the server. */
export interface ProviderTokenRecord {
  provider: string
  accessToken: string
  /** Epoch ms; when the provider gave no `expires_in`, five minutes after issue. */
  expiresAt: number
  refreshToken: string | undefined
  idToken: string | undefined
}

export interface ProviderTokenVault {
  save(sessionId: string, record: ProviderTokenRecord, keepUntil: number): Promise<void>
  load(sessionId: string): Promise<ProviderTokenRecord | null>
  delete(sessionId: string): Promise<void>
}

const unknownLifetimeMs = 5 * 60_000

/** A record from a token response; `previous` supplies what a refresh response may omit. */
export function recordFrom(provider: string, tokens: ProviderTokens, now: number, previous?: ProviderTokenRecord): ProviderTokenRecord {
  const expiresIn = tokens.expiresIn()
  return {
    provider,
    accessToken: tokens.access_token,
    expiresAt: now + (expiresIn === undefined ? unknownLifetimeMs : expiresIn * 1000),
    refreshToken: tokens.refresh_token ?? previous?.refreshToken,
    idToken: tokens.id_token ?? previous?.idToken,
  }
}

/**
 * Provider tokens encrypted at rest: each record is sealed with AES-256-GCM and bound to its
 * session id (authenticated data), so a record copied under another session does not open.
 */
export function createProviderTokenVault(store: ProviderTokenStore, box: SealedBox, clock: Clock): ProviderTokenVault {
  const context = (sessionId: string) => `provider-tokens:${sessionId}`
  return {
    save: (sessionId, record, keepUntil) => store.set(sessionId, box.seal(JSON.stringify(record), context(sessionId)), keepUntil),
    async load(sessionId) {
      const sealed = await store.get(sessionId, clock.now())
      if (sealed === null) return null
      const text = box.open(sealed, context(sessionId))
      if (text === null) return null
      try {
        const record = JSON.parse(text) as ProviderTokenRecord
        return typeof record.accessToken === 'string' && typeof record.provider === 'string' ? record : null
      } catch {
        return null
      }
    },
    delete: (sessionId) => store.delete(sessionId),
  }
}
