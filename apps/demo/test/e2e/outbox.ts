import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { expect } from 'vitest'
import type { OutboxEntry } from '../../src/shared/page-state.js'
import { newDevice } from './browser.js'

/** The demo under test, as the outbox helpers reach it. */
export interface OutboxDemo {
  readonly origin: string
  readonly port: number
}

/** A fresh address (the routes limit per address) and a password the policy accepts. */
export const newAccount = (label: string) => ({ name: `${label} Tester`, email: `${label}-${randomUUID().slice(0, 8)}@example.com`, password: `${label} passphrase 4 tests` })

/** The newest link to `path` mailed to `to`, from `GET /dev/outbox` as JSON (mail leaves off the request path: polled). */
export async function mailedLink(demo: OutboxDemo, to: string, path: string): Promise<string> {
  let link: string | undefined
  await expect
    .poll(
      async () => {
        const answer = await fetch(`http://127.0.0.1:${demo.port}/dev/outbox`, { headers: { accept: 'application/json' } })
        const messages = (await answer.json()) as OutboxEntry[]
        link = messages.find((message) => message.to === to)?.links.find((candidate) => new URL(candidate).pathname === path)
        return link
      },
      { timeout: 10_000 },
    )
    .toBeDefined()
  return link!
}

/** Signs up and verifies over HTTP (as the pages do, without them): a verified account to sign in with. */
export async function createVerifiedAccount(browser: Browser, demo: OutboxDemo, label: string) {
  const account = newAccount(label)
  const context = await newDevice(browser)
  const api = context.request
  const { csrfToken } = (await (await api.get(`${demo.origin}/auth/csrf`)).json()) as { csrfToken: string }
  const headers = { origin: demo.origin, 'x-csrf-token': csrfToken }
  expect((await api.post(`${demo.origin}/auth/signup`, { headers, data: account })).status()).toBe(202)
  const token = new URL(await mailedLink(demo, account.email, '/verify-email')).searchParams.get('token')
  expect((await api.post(`${demo.origin}/auth/email/verify`, { headers, data: { token } })).status()).toBe(200)
  await context.close()
  return account
}
