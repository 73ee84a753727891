import { createOutboxMailer, createSessionManager, MemorySessionStore } from '@acme/auth-core'
import { trackSecrets } from '@acme/auth-testing'
import { describe, expect, it, vi } from 'vitest'
import { origin, secret, testHasher } from '../../test/fixtures.js'
import { createFetchAuth } from '../fetch/index.js'
import { createMemoryUserDirectory } from './memory-user-directory.js'

describe('createMemoryUserDirectory', () => {
  it('creates once per address, verifies only the current address, sets and removes passwords, links and deletes', async () => {
    let now = 1000
    const users = createMemoryUserDirectory({ now: () => now, newId: () => `u-${now}` })
    const created = await users.create({ email: 'ada@example.com', name: 'Ada', passwordHash: '$h1', emailVerified: false })
    expect(created).toMatchObject({ id: 'u-1000', roles: ['member'], emailVerified: false, passwordSetAt: 1000 })
    expect(await users.create({ email: 'ADA@example.com', name: 'Again', passwordHash: '$h2', emailVerified: false })).toBeNull()
    await users.markEmailVerified('u-1000', 'other@example.com')
    expect((await users.findById('u-1000'))?.emailVerified).toBe(false)
    await users.markEmailVerified('u-1000', 'ada@example.com')
    expect((await users.findByEmail(' Ada@Example.com'))?.emailVerified).toBe(true)
    now = 2000
    await users.setPasswordHash('u-1000', '$h3')
    expect(await users.findById('u-1000')).toMatchObject({ passwordHash: '$h3', passwordSetAt: 2000 })
    users.link('u-1000', 'github', 1500)
    expect(await users.listAccounts('u-1000')).toEqual([{ provider: 'github', linkedAt: 1500 }])
    expect(await users.unlinkAccount('u-1000', 'github')).toBe(true)
    expect(await users.unlinkAccount('u-1000', 'github')).toBe(false)
    await users.setPasswordHash('u-1000', null)
    expect(await users.findById('u-1000')).toMatchObject({ passwordHash: null, passwordSetAt: null })
    await users.delete('u-1000')
    expect(await users.findByEmail('ada@example.com')).toBeNull()
  })

  it('hands out copies: changing a found user changes nothing stored', async () => {
    const users = createMemoryUserDirectory()
    users.add({ id: 'u-1', email: 'a@example.com', roles: ['admin'] })
    const found = (await users.findById('u-1'))!
    ;(found.roles as string[]).push('root')
    expect(users.users.get('u-1')?.roles).toEqual(['admin'])
  })
})

describe('the account routes on the Fetch adapter', () => {
  it('sign up, verify, and change the password with plain Requests', async () => {
    const outbox = createOutboxMailer()
    const auth = createFetchAuth(
      {
        sessions: createSessionManager({ store: new MemorySessionStore() }),
        users: createMemoryUserDirectory(),
        passwords: testHasher(),
        http: { origin, secret },
        accounts: { mailer: outbox, links: { verify: (t) => `${origin}/v?token=${t}`, reset: (t) => `${origin}/r?token=${t}` } },
      },
      { clientIp: () => '127.0.0.1' },
    )
    trackSecrets('fetch passphrase one', 'fetch passphrase two')
    let cookies = ''
    let csrf = ''
    const send = async (method: string, path: string, body?: object) => {
      const headers = new Headers({ origin, cookie: cookies, 'x-csrf-token': csrf, 'content-type': 'application/json' })
      const response = await auth.handler(new Request(`${origin}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) }))
      const set = response.headers.getSetCookie().map((line) => line.split(';')[0]!)
      if (set.length) cookies = [...new Map([...cookies.split('; ').filter(Boolean), ...set].map((pair) => [pair.split('=')[0], pair])).values()].join('; ')
      const json = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as Record<string, unknown>) : {}
      if (typeof json.csrfToken === 'string') csrf = json.csrfToken
      return { status: response.status, json }
    }
    await send('GET', '/auth/csrf')
    expect((await send('POST', '/auth/signup', { email: 'fetch@example.com', password: 'fetch passphrase one', name: 'F' })).status).toBe(202)
    const mail = await vi.waitFor(() => outbox.latest('fetch@example.com') ?? Promise.reject(new Error('no mail yet')))
    const verified = await send('POST', '/auth/email/verify', { token: new URL(mail.links[0]!).searchParams.get('token') })
    expect(verified).toMatchObject({ status: 200, json: { user: { email: 'fetch@example.com' } } })
    expect((await send('POST', '/auth/password', { currentPassword: 'fetch passphrase one', newPassword: 'fetch passphrase two' })).status).toBe(204)
    expect((await send('GET', '/auth/session')).json).toMatchObject({ user: { email: 'fetch@example.com' } })
  })
})
