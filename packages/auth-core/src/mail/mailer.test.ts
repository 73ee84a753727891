import { describe, expect, it } from 'vitest'
import { defaultMailTemplates } from './mail-templates.js'
import { createOutboxMailer } from './mailer.js'

describe('createOutboxMailer', () => {
  it('keeps messages newest first, with the links of their text, bounded', async () => {
    let now = 1000
    const outbox = createOutboxMailer({ maxMessages: 2, now: () => now++ })
    await outbox.send({ to: 'a@example.com', subject: 'one', text: 'no link' })
    await outbox.send({ to: 'B@example.com', subject: 'two', text: 'open https://app.example.com/v?token=a.b and http://x.test/y.' })
    await outbox.send({ to: 'a@example.com', subject: 'three', text: 'x', html: '<p>x</p>' })
    expect(outbox.messages().map((m) => m.subject)).toEqual(['three', 'two'])
    expect(outbox.latest('b@example.com')).toMatchObject({ subject: 'two', links: ['https://app.example.com/v?token=a.b', 'http://x.test/y.'], sentAt: 1001 })
    expect(outbox.latest('nobody@example.com')).toBeUndefined()
    outbox.clear()
    expect(outbox.messages()).toEqual([])
  })

  it('refuses a message without a recipient or text', async () => {
    await expect(createOutboxMailer().send({ subject: 's' } as never)).rejects.toThrow(TypeError)
  })
})

describe('defaultMailTemplates', () => {
  it('puts the link in the text and, escaped, in the HTML', () => {
    const link = 'https://app.example.com/reset?token=a"b<c'
    const message = defaultMailTemplates.reset({ to: 'a@example.com', appName: 'Acme', link, expiresInMinutes: 30 })
    expect(message.text).toContain(link)
    expect(message.text).toContain('30 minutes')
    expect(message.html).toContain('token=a&quot;b&lt;c')
    expect(message.html).not.toContain('a"b<c')
    expect(defaultMailTemplates.alreadyRegistered({ to: 'a@example.com', resetLink: link, expiresInMinutes: 30 }).text).toContain(link)
    expect(defaultMailTemplates.emailChangeNotice({ to: 'old@example.com', newEmail: 'new@example.com' }).text).toContain('new@example.com')
  })
})
