import { deleteRedisPrefix, startRedisServer, type TestRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser.js'
import { startDemo } from './next-process.js'
import { signInRefreshSignOut } from './flows.js'

const accessTokenSeconds = 4
const prefix = `acme-next-demo-e2e-${process.pid}-${Date.now()}:`
let redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
let ownRedis: TestRedisServer | undefined
let client: Redis
let browser: Browser

describe('the Next.js demo in a browser with REDIS_URL (every store in Redis)', () => {
  beforeAll(async () => {
    client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await client.connect()
    } catch {
      // No shared Redis here: start a private one.
      client.disconnect()
      ownRedis = await startRedisServer()
      redisUrl = ownRedis.url
      client = new Redis(redisUrl)
    }
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await deleteRedisPrefix(client, prefix)
    client.disconnect()
    await ownRedis?.close()
  })

  // apps/demo runs both strategies on Redis; here the token strategy, which uses every store.
  for (const strategy of ['token'] as const) {
    it(`signs in, refreshes and signs out on the ${strategy} strategy`, async () => {
      const demo = await startDemo(`redis-${strategy}`, {
        REDIS_URL: redisUrl,
        REDIS_PREFIX: `${prefix}${strategy}:`,
        AUTH_STRATEGY: strategy,
        ACCESS_TOKEN_TTL_SECONDS: String(accessTokenSeconds),
      })
      try {
        await signInRefreshSignOut(browser, demo, strategy, accessTokenSeconds)
        expect(await client.keys(`${prefix}${strategy}:*`)).toEqual(expect.arrayContaining([`${prefix}${strategy}:keyring`, `${prefix}${strategy}:notes`]))
      } finally {
        await demo.stop()
      }
    })
  }
})
