import { createAuthMetrics, createSessionManager } from '@acme/auth-core'
import { PostgresSessionStore } from '@acme/auth-core/postgres'
import { RedisSessionStore } from '@acme/auth-core/redis'
import { createTestPostgresSchema, startRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js'

// The revocation listeners' gauge, read as Prometheus scrapes it: a dropped subscription (Redis
// CLIENT KILL TYPE pubsub, PostgreSQL pg_terminate_backend on the LISTEN connection) turns it to 0,
// and the listener's own reconnect turns it back to 1 and counts the reconnect.

async function scrape(prometheus: PrometheusMetrics): Promise<string> {
  return (await prometheus.response()).text()
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1).split(' ')[0])
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('acme_auth_revocation_listener_up', () => {
  it('Redis: 1 while subscribed, 0 once the pub/sub connection is killed, 1 again after the reconnect', async () => {
    const redis = await startRedisServer({ persistent: false })
    const prometheus = createPrometheusMetrics({ register: false })
    const admin = new Redis(redis.url)
    const client = new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true })
    const subscriber = new Redis(redis.url, { retryStrategy: () => 300 })
    subscriber.on('error', () => {})
    try {
      await client.connect()
      const metrics = createAuthMetrics(prometheus.meterProvider.getMeter('@acme/auth-core'))
      const store = new RedisSessionStore({ client, subscriber, prefix: `test:listener-gauge:${process.pid}:`, metrics })
      expect(await scrape(prometheus)).not.toContain('acme_auth_revocation_listener_up{') // nobody listens yet
      const sessions = createSessionManager({ store, cache: { ttlSeconds: 60 } })
      await store.ready()
      const up = 'acme_auth_revocation_listener_up{store="redis"}'
      expect(await scrape(prometheus)).toContain('# TYPE acme_auth_revocation_listener_up gauge')
      expect(sample(await scrape(prometheus), up)).toBe(1)

      const lost = new Promise<void>((resolve) => subscriber.once('close', () => resolve()))
      expect(await admin.client('KILL', 'TYPE', 'pubsub')).toBe(1)
      await lost
      expect(sample(await scrape(prometheus), up)).toBe(0) // during the 300 ms before it reconnects

      await until(async () => sample(await scrape(prometheus), up) === 1)
      const text = await scrape(prometheus)
      expect(sample(text, 'acme_auth_revocation_listener_reconnects_total{store="redis"}')).toBe(1)
      expect(await admin.pubsub('NUMSUB', `test:listener-gauge:${process.pid}:session-invalidations`)).toEqual([
        `test:listener-gauge:${process.pid}:session-invalidations`,
        1,
      ])

      sessions.close()
      await store.close()
    } finally {
      for (const connection of [admin, client, subscriber]) connection.disconnect()
      await prometheus.shutdown()
      await redis.close()
    }
  }, 30_000)

  it('PostgreSQL: 1 while listening, 0 once the LISTEN backend is terminated, 1 again after the reconnect', async () => {
    const db = await createTestPostgresSchema()
    const prometheus = createPrometheusMetrics({ register: false })
    const name = `acme-listener-gauge-${process.pid}`
    try {
      const metrics = createAuthMetrics(prometheus.meterProvider.getMeter('@acme/auth-core'))
      const store = new PostgresSessionStore({ pool: db.connect(), schema: db.schema, listenPool: db.connect({ application_name: name, max: 1 }), metrics })
      const sessions = createSessionManager({ store, cache: { ttlSeconds: 60 } })
      await store.ready()
      const up = 'acme_auth_revocation_listener_up{store="postgres"}'
      expect(sample(await scrape(prometheus), up)).toBe(1)

      const admin = db.connect()
      const { rows } = await admin.query<{ pg_terminate_backend: boolean }>(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [name],
      )
      expect(rows).toEqual([{ pg_terminate_backend: true }])
      await until(async () => sample(await scrape(prometheus), up) === 0, 2_000)
      expect(store.listening).toBe(false)

      await until(async () => sample(await scrape(prometheus), up) === 1) // the listener's backoff starts at 100 ms
      expect(store.listening).toBe(true)
      expect(sample(await scrape(prometheus), 'acme_auth_revocation_listener_reconnects_total{store="postgres"}')).toBe(1)

      sessions.close()
      await store.close()
    } finally {
      await prometheus.shutdown()
      await db.close()
    }
  }, 30_000)

  it('one lost listener of a kind is enough for 0; another kind is reported on its own', async () => {
    const prometheus = createPrometheusMetrics({ register: false })
    try {
      const metrics = createAuthMetrics(prometheus.meterProvider.getMeter('@acme/auth-core'))
      let second = true
      metrics.revocationListener('redis', () => true)
      const stop = metrics.revocationListener('redis', () => second)
      metrics.revocationListener('postgres', () => {
        throw new Error('a probe that throws')
      })
      expect(sample(await scrape(prometheus), 'acme_auth_revocation_listener_up{store="redis"}')).toBe(1)
      second = false
      let text = await scrape(prometheus)
      expect(sample(text, 'acme_auth_revocation_listener_up{store="redis"}')).toBe(0)
      expect(sample(text, 'acme_auth_revocation_listener_up{store="postgres"}')).toBe(0)
      stop()
      text = await scrape(prometheus)
      expect(sample(text, 'acme_auth_revocation_listener_up{store="redis"}')).toBe(1)
      expect(() => metrics.revocationListener('memcached' as 'redis', () => true)).toThrow(TypeError)
    } finally {
      await prometheus.shutdown()
    }
  })
})
