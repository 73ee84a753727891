import { describe, expect, it } from 'vitest'
import { isAuthError } from '../errors.js'
import { redisCall } from './redis-client.js'

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('resolved'), (error: unknown) => error)

describe('redisCall', () => {
  it('answers what the command answered and leaves no timer behind', async () => {
    const before = timers()
    await expect(redisCall('get', () => Promise.resolve('value'), 1_000)).resolves.toBe('value')
    await expect(redisCall('get', () => Promise.resolve(null))).resolves.toBeNull()
    expect(timers()).toBe(before)
  })

  it('a failed command is ERR_STORE_UNAVAILABLE with the failure as its cause, and its timer is cleared', async () => {
    const before = timers()
    const cause = new Error('connection lost')
    const error = await failure(redisCall('get', () => Promise.reject(cause), 1_000))
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toBe('Redis get failed')
    expect((error as Error).cause).toBe(cause)
    expect(isAuthError(await failure(redisCall('get', () => Promise.reject(cause))), 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect(timers()).toBe(before)
  })

  it('a command that throws instead of rejecting fails the same way, as a rejection', async () => {
    const run = () => {
      throw new Error('Stream isn’t writeable')
    }
    const call = redisCall('get', run, 1_000)
    expect(call).toBeInstanceOf(Promise)
    expect(isAuthError(await failure(call), 'ERR_STORE_UNAVAILABLE')).toBe(true)
  })

  it('a command that never answers fails after timeoutMs; a late answer changes nothing', async () => {
    let settle!: (value: string) => void
    const started = performance.now()
    const error = await failure(redisCall('get', () => new Promise<string>((resolve) => (settle = resolve)), 30))
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect(((error as Error).cause as Error).message).toBe('timed out after 30 ms')
    settle('late')
  })

  it('a command that fails after its timeout raises no unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    try {
      let fail!: (error: Error) => void
      const call = redisCall('get', () => new Promise<string>((_, reject) => (fail = reject)), 10)
      expect(isAuthError(await failure(call), 'ERR_STORE_UNAVAILABLE')).toBe(true)
      fail(new Error('too late'))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', record)
    }
  })
})
