import { readFileSync } from 'node:fs'
import { createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { testHasher } from '../test/fixtures.js'
import { createApp as createExpressApp } from '../test/quick-start/express-app.js'
import { createApp as createHonoApp } from '../test/quick-start/hono-app.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const source = (file: string) => readFileSync(new URL(`../test/quick-start/${file}`, import.meta.url), 'utf8').trim()
const origin = 'http://localhost:3000'
process.env.AUTH_SECRET ??= 'quick-start-secret-that-is-long-enough-0123456789'

async function directory() {
  const passwords = testHasher()
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  return { users: createTestUserDirectory([alice, bob]), passwords }
}

describe('the README quick starts', () => {
  it.each(['express-app.ts', 'hono-app.ts'])('%s is in the README word for word', (file) => {
    expect(readme).toContain(source(file))
  })

  it('Express: sign in, then /api/me', async () => {
    const { users, passwords } = await directory()
    const app = createExpressApp(users, passwords)
    const csrf = await request(app).get('/auth/csrf')
    const csrfCookie = csrf.headers['set-cookie']![0]!.split(';')[0]!
    const { csrfToken } = csrf.body as { csrfToken: string }
    const login = await request(app)
      .post('/auth/login')
      .set({ origin, cookie: csrfCookie, 'x-csrf-token': csrfToken })
      .send({ email: 'alice@example.com', password: 'alice-password' })
    expect(login.status).toBe(200)
    const sid = (login.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('__Host-sid='))!.split(';')[0]!
    expect((await request(app).get('/api/me').set('cookie', sid)).body).toEqual({ id: 'u-alice', roles: ['admin'] })
  })

  it('Hono: sign in through auth.handler, /api/me through getAuth, CSRF on the app’s own POST', async () => {
    const { users, passwords } = await directory()
    const app = createHonoApp(users, passwords)
    const csrf = await app.request('/auth/csrf')
    const csrfCookie = csrf.headers.getSetCookie()[0]!.split(';')[0]!
    const { csrfToken } = (await csrf.json()) as { csrfToken: string }
    const login = await app.request('/auth/login', {
      method: 'POST',
      headers: { origin, cookie: csrfCookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com', password: 'bob-password' }),
    })
    expect(login.status).toBe(200)
    const { csrfToken: bound } = (await login.json()) as { csrfToken: string }
    const cookies = login.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ')
    expect(await (await app.request('/api/me', { headers: { cookie: cookies } })).json()).toEqual({ id: 'u-bob', roles: ['member'] })
    expect((await app.request('/api/me')).status).toBe(401)
    const post = (headers: Record<string, string>) => app.request('/api/notes', { method: 'POST', headers: { cookie: cookies, ...headers } })
    expect((await post({ origin, 'x-csrf-token': bound })).status).toBe(201)
    expect((await post({ origin: 'https://evil.example', 'x-csrf-token': bound })).status).toBe(403)
  })
})
