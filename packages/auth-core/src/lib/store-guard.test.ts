import { describe, expect, it } from 'vitest'
import { AuthError, isAuthError } from '../errors.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import { createStoreGuard } from './store-guard.js'

function recordingMetrics() {
  const operations: { store: string; outcome: string; durationMs: number }[] = []
  const metrics = {
    storeOperation: (store: string, outcome: string, durationMs: number) => operations.push({ store, outcome, durationMs }),
  } as unknown as AuthMetrics
  return { metrics, operations }
}

const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('resolved'), (error: unknown) => error)

describe('createStoreGuard', () => {
  it('answers what the store answered and records the operation as ok', async () => {
    const { metrics, operations } = recordingMetrics()
    const guard = createStoreGuard('session store', { store: 'session', metrics })
    await expect(guard('get', () => Promise.resolve('record'))).resolves.toBe('record')
    expect(operations.map(({ store, outcome }) => ({ store, outcome }))).toEqual([{ store: 'session', outcome: 'ok' }])
    expect(operations[0]!.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('a store failure becomes ERR_STORE_UNAVAILABLE naming the operation, recorded as an error', async () => {
    const { metrics, operations } = recordingMetrics()
    const guard = createStoreGuard('session store', { store: 'session', metrics })
    const cause = new Error('ECONNREFUSED')
    const error = await failure(guard('get', () => Promise.reject(cause)))
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toBe('session store failed during get')
    expect((error as Error).cause).toBe(cause)
    expect(operations.map((operation) => operation.outcome)).toEqual(['error'])
  })

  it('an AuthError the store raised itself is its answer: passed on unchanged and recorded as ok', async () => {
    const { metrics, operations } = recordingMetrics()
    const guard = createStoreGuard('session store', { store: 'session', metrics })
    const own = new AuthError('ERR_REFRESH_TOKEN_REUSED', 'the store found the token spent')
    expect(await failure(guard('update', () => Promise.reject(own)))).toBe(own)
    expect(operations.map((operation) => operation.outcome)).toEqual(['ok'])
  })

  it('a store that throws instead of rejecting, or answers without a promise, is handled the same way', async () => {
    const guard = createStoreGuard('custom store')
    const throwing = guard('get', () => {
      throw new TypeError('oops')
    })
    expect(throwing).toBeInstanceOf(Promise)
    expect(isAuthError(await failure(throwing), 'ERR_STORE_UNAVAILABLE')).toBe(true)
    await expect(guard('get', () => 'plain' as unknown as Promise<string>)).resolves.toBe('plain')
  })
})
