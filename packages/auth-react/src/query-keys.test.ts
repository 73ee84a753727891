import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { authQueryKeys } from './query-keys.js'

describe('authQueryKeys', () => {
  it('nests every key under one root so a single invalidation reaches them all', async () => {
    const client = new QueryClient()
    client.setQueryData(authQueryKeys.session(), { user: null })
    client.setQueryData(authQueryKeys.sessions(), [])
    await client.invalidateQueries({ queryKey: authQueryKeys.all() })
    expect(client.getQueryState(authQueryKeys.session())?.isInvalidated).toBe(true)
    expect(client.getQueryState(authQueryKeys.sessions())?.isInvalidated).toBe(true)
  })
})
