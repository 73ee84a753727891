/** One message to send. `text` is always there; `html` is optional. */
export interface MailMessage {
  to: string
  subject: string
  text: string
  html?: string
}

/**
 * Where account mail goes (verification, reset, notices). One method; an implementation resolves
 * once the message is handed over (an SMTP server accepted it) and rejects otherwise. Callers on
 * the request path never await it: mail is sent off the request path, so a known address and an
 * unknown one answer in the same time.
 *
 * @example
 * ```ts
 * const mailer: Mailer = { send: async (message) => provider.emails.send({ from: 'auth@example.com', ...message }) }
 * ```
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>
}

/** A message the outbox kept, with the links found in its text. */
export interface OutboxMessage extends MailMessage {
  /** Epoch ms when it was sent. */
  sentAt: number
  /** Every `http(s)://` link in `text`, in order (what a developer clicks). */
  links: string[]
}

/** A {@link Mailer} that keeps messages in memory, for development and tests. */
export interface OutboxMailer extends Mailer {
  /** Newest first. */
  messages(): readonly OutboxMessage[]
  /** The newest message to `to` (compared case-insensitively), or `undefined`. */
  latest(to: string): OutboxMessage | undefined
  clear(): void
}

const linkPattern = /https?:\/\/[^\s<>"')]+/g

/**
 * The development outbox: every message is kept in memory (the newest `maxMessages`), newest
 * first, with its links extracted, so a page such as `/dev/outbox` can show them. Never in
 * production: nothing is delivered.
 *
 * @default { maxMessages: 100, clock: Date.now }
 * @example
 * ```ts
 * import { createOutboxMailer } from '@acme/auth-core'
 *
 * const outbox = createOutboxMailer()
 * await outbox.send({ to: 'ada@example.com', subject: 'Hi', text: 'Open https://app.example.com/verify?token=abc' })
 * outbox.latest('ada@example.com')?.links // ['https://app.example.com/verify?token=abc']
 * ```
 */
export function createOutboxMailer(options: { maxMessages?: number; now?: () => number } = {}): OutboxMailer {
  const max = options.maxMessages ?? 100
  if (!Number.isInteger(max) || max < 1) throw new TypeError('options.maxMessages must be a positive integer')
  const now = options.now ?? Date.now
  const kept: OutboxMessage[] = []
  return Object.freeze({
    send(message: MailMessage) {
      if (typeof message !== 'object' || message === null || typeof message.to !== 'string' || typeof message.text !== 'string') {
        return Promise.reject(new TypeError('message must be { to, subject, text, html? }'))
      }
      const copy: OutboxMessage = {
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        sentAt: now(),
        links: message.text.match(linkPattern) ?? [],
      }
      kept.unshift(copy)
      kept.length = Math.min(kept.length, max)
      return Promise.resolve()
    },
    messages: () => kept.map((message) => ({ ...message, links: [...message.links] })),
    latest(to: string) {
      const wanted = to.toLowerCase()
      const found = kept.find((message) => message.to.toLowerCase() === wanted)
      return found && { ...found, links: [...found.links] }
    },
    clear() {
      kept.length = 0
    },
  })
}
