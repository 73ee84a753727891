import { startTestSmtpServer, type TestSmtpServer } from '@acme/auth-testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createAccountsApp } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'
import { createSmtpMailer, type SmtpMailer } from './smtp-mailer.js'

let smtp: TestSmtpServer | undefined
let mailer: SmtpMailer | undefined

afterEach(async () => {
  mailer?.close()
  await smtp?.stop()
  smtp = mailer = undefined
})

describe('createSmtpMailer (a real SMTP exchange with startTestSmtpServer)', () => {
  it('delivers subject, text and HTML from the configured sender, authenticating with the URL’s credentials', async () => {
    smtp = await startTestSmtpServer({ credentials: { username: 'mailer', password: 'p@ss word' } })
    mailer = createSmtpMailer({ url: `smtp://mailer:${encodeURIComponent('p@ss word')}@127.0.0.1:${smtp.port}`, from: 'Acme <auth@example.com>' })
    await mailer.send({ to: 'ada@example.com', subject: 'Confirm your email address', text: 'Open https://app.example.com/v?token=a.b', html: '<p>Open</p>' })
    const mail = await smtp.waitFor('ada@example.com')
    expect(mail).toMatchObject({ from: 'auth@example.com', to: ['ada@example.com'], subject: 'Confirm your email address', links: ['https://app.example.com/v?token=a.b'] })
    expect(mail.html).toContain('<p>Open</p>')
    expect(mail.auth).toEqual({ username: 'mailer', password: 'p@ss word' })
  })

  it('rejects when the server refuses the message (so the caller can log it)', async () => {
    smtp = await startTestSmtpServer({ rejectRecipients: true })
    mailer = createSmtpMailer({ url: smtp.url, from: 'auth@example.com', timeoutMs: 2000 })
    await expect(mailer.send({ to: 'ada@example.com', subject: 's', text: 't' })).rejects.toMatchObject({ responseCode: 550 })
  })

  it('refuses bad options with a TypeError', () => {
    expect(() => createSmtpMailer({ url: 'http://mail.example.com', from: 'a@example.com' })).toThrow(/options\.url/)
    expect(() => createSmtpMailer({ url: 'smtp://mail.example.com', from: ' ' })).toThrow(/options\.from/)
  })

  it('carries the account mail: forgot password → SMTP → the link resets the password', async () => {
    smtp = await startTestSmtpServer()
    mailer = createSmtpMailer({ url: smtp.url, from: 'auth@example.com' })
    const { app } = await createAccountsApp({ mailer })
    const client = browser(app)
    await client.fetchCsrf()
    expect((await client.post('/auth/password/forgot', { email: 'alice@example.com' })).status).toBe(202)
    const mail = await smtp.waitFor('alice@example.com')
    expect(mail.subject).toBe('Reset your password')
    const token = new URL(mail.links[0]!).searchParams.get('token')
    expect(token).toMatch(/^[\w-]{22}\.[\w-]{43}\.[0-9a-f]{24}$/)
    expect((await client.post('/auth/password/reset', { token, password: 'a fresh passphrase' })).status).toBe(204)
    expect((await browser(app).login('alice@example.com', 'a fresh passphrase')).status).toBe(200)
  })
})
