import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** One message as the test SMTP server received it over the wire, parsed. */
export interface CapturedMail {
  /** The envelope's `MAIL FROM`. */
  from: string
  /** The envelope's `RCPT TO`s. */
  to: string[]
  subject: string
  text: string
  html: string | undefined
  /** Every `http(s)://` link in `text`, in order. */
  links: string[]
  /** The raw RFC 5322 message. */
  raw: string
  /** The credentials the client authenticated with (`AUTH PLAIN`/`LOGIN`), if any. */
  auth: { username: string; password: string } | undefined
}

/** A running {@link startTestSmtpServer}. */
export interface TestSmtpServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** `smtp://127.0.0.1:<port>`, for `createSmtpMailer({ url })` or nodemailer. */
  readonly url: string
  /** Every message received, oldest first. */
  readonly messages: readonly CapturedMail[]
  /**
   * The first message (received or to come) to `to` that `match` accepts; rejects after
   * `timeoutMs`. For mail sent off the request path.
   * @default timeoutMs 5000
   */
  waitFor(to: string, options?: { match?: (mail: CapturedMail) => boolean; timeoutMs?: number }): Promise<CapturedMail>
  clear(): void
  stop(): Promise<void>
}

/** Options of {@link startTestSmtpServer}. */
export interface TestSmtpServerOptions {
  /** Require `AUTH` with these credentials (any other are refused with 535). @default none: AUTH optional, anything accepted */
  credentials?: { username: string; password: string }
  /** Refuse every `RCPT TO` with 550, to test a failing delivery. @default false */
  rejectRecipients?: boolean
}

const linkPattern = /https?:\/\/[^\s<>"')]+/g
const maxMessageBytes = 1024 * 1024

/**
 * A real SMTP server on loopback (`smtp-server`, a free port), capturing every delivery: a mailer
 * under test speaks the protocol (EHLO, optional AUTH, MAIL, RCPT, DATA) and the test reads the
 * parsed message. No TLS (loopback only); `stop()` closes it.
 *
 * @example
 * ```ts
 * import { startTestSmtpServer } from '@acme/auth-testing'
 *
 * const smtp = await startTestSmtpServer()
 * const mailer = createSmtpMailer({ url: smtp.url, from: 'auth@example.com' })
 * await mailer.send({ to: 'ada@example.com', subject: 'Hi', text: 'Hello' })
 * expect((await smtp.waitFor('ada@example.com')).subject).toBe('Hi')
 * await smtp.stop()
 * ```
 */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: CapturedMail[] = []
  const waiters = new Set<(mail: CapturedMail) => boolean>()
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: options.credentials === undefined,
    allowInsecureAuth: true,
    size: maxMessageBytes,
    logger: false,
    onAuth(auth, _session, callback) {
      const wanted = options.credentials
      if (wanted && (auth.username !== wanted.username || auth.password !== wanted.password)) {
        callback(new Error('Invalid username or password'))
        return
      }
      callback(null, { user: { username: auth.username ?? '', password: auth.password ?? '' } })
    },
    onRcptTo(_address, _session, callback) {
      if (options.rejectRecipients === true) {
        const refused = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })
        callback(refused)
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', callback)
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        simpleParser(raw)
          .then((parsed) => {
            const text = parsed.text ?? ''
            const user = session.user as { username: string; password: string } | undefined
            const mail: CapturedMail = {
              from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              subject: parsed.subject ?? '',
              text,
              html: typeof parsed.html === 'string' ? parsed.html : undefined,
              links: text.match(linkPattern) ?? [],
              raw,
              auth: user,
            }
            messages.push(mail)
            for (const waiter of waiters) if (waiter(mail)) waiters.delete(waiter)
            callback()
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error('unparseable message')))
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.server.address() as AddressInfo).port
  const isFor = (mail: CapturedMail, to: string) => mail.to.some((address) => address.toLowerCase() === to.toLowerCase())

  return {
    host: '127.0.0.1',
    port,
    url: `smtp://127.0.0.1:${port}`,
    get messages() {
      return [...messages]
    },
    waitFor(to, waitOptions = {}) {
      const match = waitOptions.match ?? (() => true)
      const found = messages.find((mail) => isFor(mail, to) && match(mail))
      if (found) return Promise.resolve(found)
      return new Promise<CapturedMail>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`no mail to ${to} within ${waitOptions.timeoutMs ?? 5000} ms`))
        }, waitOptions.timeoutMs ?? 5000)
        const waiter = (mail: CapturedMail) => {
          if (!isFor(mail, to) || !match(mail)) return false
          clearTimeout(timer)
          resolve(mail)
          return true
        }
        waiters.add(waiter)
      })
    },
    clear() {
      messages.length = 0
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
