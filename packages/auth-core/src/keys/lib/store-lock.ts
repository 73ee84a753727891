import { AuthError } from '../../errors.js'

interface LockingStore {
  acquireLock(name: string, ttlMs: number): Promise<string | null>
  releaseLock(name: string, token: string): Promise<void>
}

const POLL_MS = 10

/**
 * Runs `work` while holding the store lock `name`. When another holder has it, `'skip'` returns
 * `undefined` at once; `'wait'` polls until the lock frees (at most `ttlMs`, after which the other
 * holder's lock has expired anyway). The lock is released by compare-and-delete, even on failure.
 */
export async function withStoreLock<T>(
  store: LockingStore,
  name: string,
  ttlMs: number,
  mode: 'wait',
  work: () => Promise<T>,
): Promise<T>
export async function withStoreLock<T>(
  store: LockingStore,
  name: string,
  ttlMs: number,
  mode: 'skip',
  work: () => Promise<T>,
): Promise<T | undefined>
export async function withStoreLock<T>(
  store: LockingStore,
  name: string,
  ttlMs: number,
  mode: 'wait' | 'skip',
  work: () => Promise<T>,
): Promise<T | undefined> {
  // Real time on purpose: this bounds a wait in this process, it is not a business rule.
  const deadline = Date.now() + ttlMs + 1_000
  let token = await store.acquireLock(name, ttlMs)
  while (token === null) {
    if (mode === 'skip') return undefined
    if (Date.now() > deadline) throw new AuthError('ERR_STORE_UNAVAILABLE', `timed out waiting for lock ${name}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    token = await store.acquireLock(name, ttlMs)
  }
  try {
    return await work()
  } finally {
    await store.releaseLock(name, token).catch(() => {
      // It expires by itself; a failed release must not hide the work's own result or error.
    })
  }
}
