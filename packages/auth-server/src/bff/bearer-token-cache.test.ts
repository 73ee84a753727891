import { describe, expect, it } from 'vitest'
import { BearerTokenCache, type BearerToken } from './bearer-token-cache.js'

describe('BearerTokenCache', () => {
  const at = 1_000_000
  const minter = () => {
    let mints = 0
    const mint = () => Promise.resolve<BearerToken>({ token: `t${++mints}`, expiresAt: at + 60_000 })
    return { mint, count: () => mints }
  }

  it('peek answers a cached token until 30 s before it expires, then nothing', async () => {
    const cache = new BearerTokenCache()
    const { mint } = minter()
    expect(cache.peek('s1', at)).toBeUndefined()
    await cache.get('s1', at, mint)
    expect(cache.peek('s1', at + 29_999)?.token).toBe('t1')
    expect(cache.peek('s1', at + 30_000)).toBeUndefined()
    expect(cache.peek('s2', at)).toBeUndefined()
  })

  it('mints single-flight, and replaces only the token the upstream refused', async () => {
    const cache = new BearerTokenCache()
    const { mint, count } = minter()
    const first = await Promise.all(Array.from({ length: 5 }, () => cache.get('s1', at, mint)))
    expect(first.map((t) => t.token)).toEqual(Array(5).fill('t1'))
    expect(count()).toBe(1)
    const fresh = await Promise.all(Array.from({ length: 5 }, () => cache.get('s1', at, mint, 't1')))
    expect(fresh.map((t) => t.token)).toEqual(Array(5).fill('t2'))
    expect((await cache.get('s1', at, mint, 't1')).token).toBe('t2') // t1 is no longer the cached one
    expect(count()).toBe(2)
  })

  it('drop forgets the session’s token', async () => {
    const cache = new BearerTokenCache()
    const { mint } = minter()
    await cache.get('s1', at, mint)
    cache.drop('s1')
    expect(cache.peek('s1', at)).toBeUndefined()
  })
})
