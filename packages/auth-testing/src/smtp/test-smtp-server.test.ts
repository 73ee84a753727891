import { createTransport } from 'nodemailer'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestSmtpServer, type TestSmtpServer } from './test-smtp-server.js'

let smtp: TestSmtpServer | undefined

afterEach(async () => {
  await smtp?.stop()
  smtp = undefined
})

describe('startTestSmtpServer', () => {
  it('captures a real SMTP delivery on loopback: envelope, subject, text, HTML and links', async () => {
    smtp = await startTestSmtpServer()
    expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`)
    const transport = createTransport({ url: smtp.url })
    await transport.sendMail({
      from: 'auth@example.com',
      to: 'Ada@Example.com',
      subject: 'Confirm your email — Ü',
      text: 'Open https://app.example.com/verify?token=abc.def\n\nThanks',
      html: '<p>Open it</p>',
    })
    const mail = await smtp.waitFor('ada@example.com')
    expect(mail).toMatchObject({ from: 'auth@example.com', to: ['Ada@example.com'], subject: 'Confirm your email — Ü', links: ['https://app.example.com/verify?token=abc.def'] })
    expect(mail.text).toContain('Thanks')
    expect(mail.html).toContain('<p>Open it</p>')
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative/m)
    transport.close()
  })

  it('waits for mail still to come, and times out for mail that never does', async () => {
    smtp = await startTestSmtpServer()
    const waiting = smtp.waitFor('late@example.com', { match: (mail) => mail.subject === 'second' })
    const transport = createTransport({ url: smtp.url })
    await transport.sendMail({ from: 'a@example.com', to: 'late@example.com', subject: 'first', text: 'x' })
    await transport.sendMail({ from: 'a@example.com', to: 'late@example.com', subject: 'second', text: 'y' })
    expect((await waiting).subject).toBe('second')
    await expect(smtp.waitFor('nobody@example.com', { timeoutMs: 50 })).rejects.toThrow(/no mail to nobody@example.com/)
    smtp.clear()
    expect(smtp.messages).toEqual([])
    transport.close()
  })

  it('requires the configured credentials, and can refuse recipients', async () => {
    smtp = await startTestSmtpServer({ credentials: { username: 'mailer', password: 's3cret' } })
    const wrong = createTransport({ url: smtp.url, auth: { user: 'mailer', pass: 'nope' } })
    await expect(wrong.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' })).rejects.toMatchObject({ responseCode: 535 })
    const right = createTransport({ url: smtp.url, auth: { user: 'mailer', pass: 's3cret' } })
    await right.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' })
    expect(smtp.messages[0]?.auth).toEqual({ username: 'mailer', password: 's3cret' })
    await smtp.stop()

    smtp = await startTestSmtpServer({ rejectRecipients: true })
    const transport = createTransport({ url: smtp.url })
    await expect(transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' })).rejects.toMatchObject({ responseCode: 550 })
    expect(smtp.messages).toEqual([])
    for (const t of [wrong, right, transport]) t.close()
  })
})
