import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { isPortFree } from './free-port.js'
import { pingRedis } from './redis-ping.js'
import { startRedisServer } from './redis-server.js'

describe('startRedisServer', () => {
  it('runs a private Redis that can be stopped and started again with its data', async () => {
    const redis = await startRedisServer()
    try {
      expect(await pingRedis(redis.port)).toBe(true)
      const client = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => 50 })
      client.on('error', () => {})
      await client.connect()
      await client.set('kept', 'yes')

      await redis.stop()
      expect(await pingRedis(redis.port)).toBe(false)

      await redis.start()
      await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())))
      expect(await client.get('kept')).toBe('yes')
      client.disconnect()
    } finally {
      await redis.close()
    }
    expect(await isPortFree(redis.port)).toBe(true)
  })
})
