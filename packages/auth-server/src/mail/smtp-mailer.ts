import type { MailMessage, Mailer } from '@acme/auth-core'
import { createTransport } from 'nodemailer'

/** Options of {@link createSmtpMailer}. */
export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`: nodemailer's connection URL (`SMTP_URL`). */
  url: string
  /** The sender, e.g. `'Acme <auth@example.com>'`. */
  from: string
  /** Give up on a connection, greeting or socket after this long. @default 10000 */
  timeoutMs?: number
}

/** A {@link Mailer} over SMTP, with `close()` for its pooled connections. */
export interface SmtpMailer extends Mailer {
  close(): void
}

/**
 * Sends account mail over SMTP with `nodemailer` (pooled connections, STARTTLS when the server
 * offers it). `send` resolves when the server accepted the message and rejects otherwise; the
 * account routes send off the request path and log only the error's name.
 *
 * @default { timeoutMs: 10000 }
 * @example
 * ```ts
 * import { createSmtpMailer } from '@acme/auth-server'
 *
 * const mailer = createSmtpMailer({ url: process.env.SMTP_URL!, from: 'Acme <auth@example.com>' })
 * await mailer.send({ to: 'ada@example.com', subject: 'Hello', text: 'It works.' })
 * ```
 */
export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  if (typeof options !== 'object' || options === null) throw new TypeError('createSmtpMailer: options must be an object')
  if (typeof options.url !== 'string' || !/^smtps?:\/\//.test(options.url)) {
    throw new TypeError('createSmtpMailer: options.url must be an smtp:// or smtps:// URL')
  }
  if (typeof options.from !== 'string' || options.from.trim() === '') throw new TypeError('createSmtpMailer: options.from must be a sender address')
  const timeout = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeout) || timeout < 1) throw new TypeError('createSmtpMailer: options.timeoutMs must be a positive integer')
  const url = new URL(options.url)
  const transport = createTransport({
    host: url.hostname,
    port: url.port === '' ? (url.protocol === 'smtps:' ? 465 : 587) : Number(url.port),
    secure: url.protocol === 'smtps:',
    ...(url.username === '' ? {} : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
    pool: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  })
  return {
    async send(message: MailMessage) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
      })
    },
    close() {
      transport.close()
    },
  }
}
