import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNativeClient, NativeClientError } from '../../src/native/native-client.js'
import { startDemo, type RunningDemo } from './demo-process.js'

let demo: RunningDemo

describe("the demo's native client (no cookies, Bearer tokens)", () => {
  beforeAll(async () => {
    demo = await startDemo('native')
  })
  afterAll(async () => {
    await demo?.stop()
  })

  it('calls the upstream /me with its access token, signs out with POST /auth/revoke, and its refresh token then answers 401', async () => {
    const client = createNativeClient({ origin: demo.origin, upstream: `http://127.0.0.1:${demo.upstreamPort}` })
    await client.signIn('alice@example.com', 'alice-password')
    const claims = await client.me()
    expect(claims).toMatchObject({ sub: 'u-alice', aud: 'acme-demo-api', roles: ['admin'] })

    // A rotation keeps working and the new access token is accepted too.
    await client.refresh()
    expect((await client.me()).sub).toBe('u-alice')

    const refreshToken = client.tokens!.refresh_token
    await client.signOut()
    const after = await fetch(`${demo.origin}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    })
    expect(after.status).toBe(401)
    expect(after.headers.get('content-type')).toContain('application/problem+json')
  })

  it('is refused by the upstream without a token, and a wrong password gets the generic 401', async () => {
    const client = createNativeClient({ origin: demo.origin, upstream: `http://127.0.0.1:${demo.upstreamPort}` })
    const bare = await fetch(`http://127.0.0.1:${demo.upstreamPort}/me`)
    expect(bare.status).toBe(401)
    const failure = await client.signIn('alice@example.com', 'wrong-password').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(NativeClientError)
    expect((failure as NativeClientError).status).toBe(401)
  })
})
