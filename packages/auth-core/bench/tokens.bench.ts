// Access tokens: sign and verify ops/s per algorithm, and a verified-token cache hit. Refresh families: sequential rotations/s
// (each one a compare-and-set, a signed access token and a sealed successor) on memory and Redis.
import { Redis } from 'ioredis'
import { createKeyRing } from '../src/keys/key-ring.js'
import { MemoryKeyStore } from '../src/keys/memory-key-store.js'
import type { SigningAlgorithm } from '../src/keys/signing-key.js'
import { createRefreshFamilies } from '../src/refresh/refresh-families.js'
import { MemoryRefreshStore } from '../src/refresh/memory-refresh-store.js'
import { RedisRefreshStore } from '../src/redis/redis-refresh-store.js'
import { createAccessTokenVerifier } from '../src/tokens/access-token-verifier.js'
import { createAccessTokens, type AccessTokens } from '../src/tokens/access-tokens.js'
import { runBench } from './lib/harness.js'

const secret = 'bench-key-encryption-secret-32-chars!!'
const issuer = 'https://bench.test'
const grant = { sub: 'bench-user', sid: 'bench-session', roles: ['member'] }

export default async function tokensBench() {
  const tasks: Record<string, () => unknown> = {}
  let eddsa: AccessTokens | undefined
  for (const alg of ['EdDSA', 'ES256', 'RS256'] as SigningAlgorithm[]) {
    const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret, alg })
    await keyRing.ready()
    const tokens = createAccessTokens({ keyRing, issuer, audience: 'api' })
    const verifier = createAccessTokenVerifier({ keyRing, issuer, audience: 'api' })
    const token = (await tokens.issue(grant)).token
    tasks[`sign ${alg}`] = () => tokens.issue(grant)
    tasks[`verify ${alg}`] = () => verifier.verify(token)
    if (alg === 'EdDSA') {
      eddsa = tokens
      // The same token again through the verified-token cache: a hash, a lookup and a key-ring check.
      const cached = createAccessTokenVerifier({ keyRing, issuer, audience: 'api', cache: {} })
      await cached.verify(token)
      tasks[`verify ${alg}, cache hit`] = () => cached.verify(token)
    }
  }
  const rows = await runBench('access tokens: issue() and verify() ops/s', tasks)

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true })
  await redis.connect()
  const prefix = `bench:refresh:${process.pid}:`
  try {
    const memory = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens: eddsa! })
    const onRedis = createRefreshFamilies({ store: new RedisRefreshStore({ client: redis, prefix }), accessTokens: eddsa! })
    let memoryToken = (await memory.issue(grant)).refreshToken
    let redisToken = (await onRedis.issue(grant)).refreshToken
    rows.push(
      ...(await runBench('refresh families: sequential rotate() per second (EdDSA access tokens)', {
        'rotate, memory store': async () => {
          memoryToken = (await memory.rotate(memoryToken)).refreshToken
        },
        'rotate, redis store': async () => {
          redisToken = (await onRedis.rotate(redisToken)).refreshToken
        },
      })),
    )
    return rows
  } finally {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
    redis.disconnect()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await tokensBench()
