import { createSessionManager, isAuthError, MemorySessionStore } from '@acme/auth-core'
import type { Request, Response } from 'express'
import { describe, expect, it, vi } from 'vitest'
import { createTestApp } from '../../test/fixtures.js'

const bob = { id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'] }

/** The bits of a request and response the middleware reads and writes. */
function exchange(cookie: string) {
  const req = { headers: { cookie }, method: 'GET', url: '/api/me' } as unknown as Request
  const res = { append: vi.fn(), setHeader: vi.fn() } as unknown as Response
  return { req, res }
}

describe('auth.middleware()', () => {
  it('goes on in the same tick when the session is known at once (memory store)', async () => {
    const { auth } = await createTestApp()
    const { cookie } = await auth.issueSession(bob)
    const { req, res } = exchange(cookie)
    const next = vi.fn()
    auth.middleware()(req, res, next)
    expect(next).toHaveBeenCalledOnce()
    expect(next).toHaveBeenCalledWith()
    expect(req.auth).toMatchObject({ user: { id: 'u-bob', roles: ['member'] }, strategy: 'session' })
  })

  it('token strategy: goes on in the same tick for an access token verified before, and waits for a first sight', async () => {
    const { auth, tokens } = await createTestApp({ strategy: 'token' })
    // Issuing verifies the new token once, so the cache knows it from the first request.
    const { cookie } = await auth.issueSession(bob)
    const known = exchange(cookie)
    const next = vi.fn()
    auth.middleware()(known.req, known.res, next)
    expect(next).toHaveBeenCalledOnce()
    expect(known.req.auth).toMatchObject({ user: { id: 'u-bob', roles: ['member'] }, strategy: 'token' })
    // The cache's claims are shared and frozen; each request's identity has lists of its own.
    ;(known.req.auth!.user.roles as string[]).push('admin')
    const again = exchange(cookie)
    auth.middleware()(again.req, again.res, vi.fn())
    expect(again.req.auth?.user.roles).toEqual(['member'])

    // A token this verifier has not seen (minted elsewhere) costs one signature check, then waits.
    const { token } = await tokens!.accessTokens.issue({ sub: 'u-bob', sid: known.req.auth!.session.id, roles: ['member'] })
    const fresh = exchange(`__Host-access=${token}`)
    const later = vi.fn()
    auth.middleware()(fresh.req, fresh.res, later)
    expect(later).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(later).toHaveBeenCalledWith())
    expect(fresh.req.auth?.user.id).toBe('u-bob')
  })

  it('waits for the store when it must, and passes a store outage to next(err)', async () => {
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store })
    const { auth } = await createTestApp({ store, sessions })
    const { cookie } = await auth.issueSession(bob)
    const get = vi.spyOn(store, 'get')

    const waiting = exchange(cookie)
    const next = vi.fn()
    auth.middleware()(waiting.req, waiting.res, next)
    expect(next).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(next).toHaveBeenCalledWith())
    expect(waiting.req.auth?.user.id).toBe('u-bob')

    get.mockRejectedValue(new Error('connection refused'))
    const failing = exchange(cookie)
    const failed = vi.fn()
    auth.middleware()(failing.req, failing.res, failed)
    await vi.waitFor(() => expect(failed).toHaveBeenCalledOnce())
    expect(isAuthError(failed.mock.calls[0]![0], 'ERR_STORE_UNAVAILABLE')).toBe(true)
  })

  it('refuses a doubled session cookie through next(err), without waiting', async () => {
    const { auth } = await createTestApp()
    const { req, res } = exchange('__Host-sid=a.b; __Host-sid=c.d')
    const next = vi.fn()
    auth.middleware()(req, res, next)
    expect(next).toHaveBeenCalledOnce()
    expect(next.mock.calls[0]![0]).toMatchObject({ problem: { status: 400 } })
    expect(res.append).toHaveBeenCalledWith('Set-Cookie', expect.stringMatching(/^__Host-sid=;/)) // and clears it
  })
})
