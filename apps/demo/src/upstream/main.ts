import { Cluster, Redis } from 'ioredis'
import { readConfig, demoAccounts } from '../config.js'
import { createMemoryNotesStore, createRedisNotesStore } from './notes-store.js'
import { createUpstreamApp } from './upstream-app.js'

// The upstream API as its own process (`pnpm demo` starts it): it shares no memory with the web app.
const config = readConfig()
// The notes follow the web app's Redis (one server or a cluster); with PostgreSQL they stay in memory.
const redis = config.redisClusterNodes
  ? new Cluster(config.redisClusterNodes.map((node) => ({ ...node })))
  : config.redisUrl
    ? new Redis(config.redisUrl)
    : undefined
const notes = redis ? createRedisNotesStore(redis, `${config.redisPrefix}notes`) : createMemoryNotesStore()

if ((await notes.list(demoAccounts[0].id)).length === 0) {
  await notes.create(demoAccounts[0].id, { title: 'Quarterly plan', body: 'Alice’s private note: only Alice can read or edit it.' })
  await notes.create(demoAccounts[0].id, { title: 'Rotate the signing keys', body: 'Try it on the Admin page.' })
}
if ((await notes.list(demoAccounts[1].id)).length === 0) {
  await notes.create(demoAccounts[1].id, { title: 'Groceries', body: 'Bob’s note: milk, bread, coffee.' })
}

const app = createUpstreamApp({
  jwksUrl: `http://127.0.0.1:${config.port}/.well-known/jwks.json`,
  issuer: config.appOrigin,
  audience: config.upstreamAudience,
  notes,
})
const server = app.listen(config.upstreamPort, '127.0.0.1')
server.on('listening', () => process.send?.({ ready: 'upstream' }))

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close()
    redis?.disconnect()
    process.exit(0)
  })
}

// Started by the demo: end with it, even if it dies without stopping this process.
process.on('disconnect', () => process.exit(0))
