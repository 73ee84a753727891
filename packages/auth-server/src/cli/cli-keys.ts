import { createKeyRing, keyStatusAt, type AuditSink, type KeyRing, type KeyStore, type SigningKeyInfo, type StoredSigningKey } from '@acme/auth-core'
import type { Command } from './cli-command.js'
import { UsageError, type CliKeySettings } from './cli-config.js'

/** `keys list`: read-only; exit 3 when the store holds no key ring (a mistyped prefix or schema). */
export const listKeysCommand: Command = async ({ backend, keySecret, print }) => {
  const keys = await listKeys(backend.keys, keySecret())
  if (keys === null) {
    print(`no key ring under ${backend.where}`, { keys: null })
    return 3
  }
  print(keys.map((k) => `${k.kid}  ${k.alg}  ${k.status}`).join('\n') || 'no published keys', keys)
  return 0
}

/**
 * `keys rotate [--compromised]`: with the config file's algorithm and timings; `KEY_ROTATED`
 * (`data.trigger: 'cli'`) and, when keys go, `KEY_REMOVED`, as the app's key ring records them.
 */
export const rotateKeysCommand: Command = async ({ audit, backend, config, flags, keySecret, note, print }) => {
  if (config.keys?.rotation === undefined) note('acme-auth: note: no "keys.rotation" in the config file: default rotation timings are used')
  const key = await rotateKeys(backend.keys, keySecret(), config.keys, flags.compromised, audit.sink)
  print(`rotated: ${key.kid} ${key.alg} (${key.status})${flags.compromised ? '; every older key removed' : ''}`, key)
  return 0
}

/** `keys list`: the keys and their status, or `null` when the prefix holds no key ring. */
export async function listKeys(store: KeyStore, secret: string, now = Date.now()): Promise<SigningKeyInfo[] | null> {
  const state = await store.load()
  if (state.keys.length === 0) return null
  const keys = state.keys.flatMap((key) => infoOf(key, now))
  // Check that the secret opens the stored keys (an operator's sanity check), through a store that
  // refuses every write: listing never creates or changes anything, even on a ring with no active key.
  if (keys.some((key) => key.status === 'active')) await ringOver(readOnly(store), secret, undefined).ready()
  return keys
}

/**
 * `keys rotate`: with the app's algorithm and timings from the config file. Without
 * `keys.algorithm`, the new key keeps the algorithm of the key that signs now.
 */
export async function rotateKeys(
  store: KeyStore,
  secret: string,
  settings: CliKeySettings | undefined,
  compromised: boolean,
  audit?: AuditSink,
): Promise<SigningKeyInfo> {
  const state = await store.load()
  const now = Date.now()
  const current = state.keys.find((key) => keyStatusAt(key, now) === 'active')
  const ring = ringOver(store, secret, { algorithm: settings?.algorithm ?? current?.alg, rotation: settings?.rotation }, audit)
  await ring.ready()
  return ring.rotate({ compromised, trigger: 'cli' })
}

function ringOver(store: KeyStore, secret: string, settings: CliKeySettings | undefined, audit?: AuditSink): KeyRing {
  try {
    return createKeyRing({
      store,
      secret,
      ...(audit ? { audit } : {}),
      ...(settings?.algorithm ? { alg: settings.algorithm } : {}),
      ...(settings?.rotation ? { rotation: settings.rotation } : {}),
    })
  } catch (error) {
    // The key ring checks the timings against each other; name the config file's path for it.
    if (error instanceof TypeError && /options\.(rotation|alg)/.test(error.message)) {
      throw new UsageError(`config file: ${error.message.replace('options.alg', 'keys.algorithm').replace('options.rotation', 'keys.rotation')}`)
    }
    throw error
  }
}

function infoOf(key: StoredSigningKey, now: number): SigningKeyInfo[] {
  const status = keyStatusAt(key, now)
  if (status === 'removed') return []
  return [{ kid: key.kid, alg: key.alg, status, createdAt: key.createdAt, activatesAt: key.activatesAt, retiresAt: key.retiresAt, removesAt: key.removesAt }]
}

function readOnly(store: KeyStore): KeyStore {
  const refuse = () => Promise.reject(new Error('keys list is read-only'))
  return { load: () => store.load(), compareAndSet: refuse, acquireLock: refuse, releaseLock: refuse }
}
