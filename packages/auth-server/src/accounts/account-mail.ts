import { createAuthMetrics, type MailTemplates } from '@acme/auth-core'
import type { AccountsConfig } from './accounts-config.js'

type Kind = keyof MailTemplates

// Follows the global meter provider at each record.
const metrics = createAuthMetrics()
type Input<K extends Kind> = Omit<Parameters<MailTemplates[K]>[0], 'to' | 'appName'>

/**
 * Runs `work` after the current request has been answered (`setImmediate`): whatever depends on
 * whether an address has an account — the lookup, a token, the mail — happens off the request
 * path, so known and unknown addresses answer in the same time. A failure is logged by the
 * error's name only (a message could carry an address).
 */
export function offRequestPath(what: string, work: () => Promise<unknown>): void {
  setImmediate(() => {
    work().catch((error: unknown) => {
      const name = error instanceof Error ? error.name : typeof error
      console.warn(`[acme-auth] ${what} failed: ${name}`)
    })
  })
}

/** Renders one account message with the app's templates and hands it to the mailer. */
export async function sendAccountMail<K extends Kind>(config: AccountsConfig, kind: K, to: string, input: Input<K>): Promise<void> {
  const mailer = config.mailer
  if (!mailer) return
  const render = config.templates[kind] as (input: Parameters<MailTemplates[K]>[0]) => ReturnType<MailTemplates[K]>
  const message = render({ ...input, to, ...(config.appName === undefined ? {} : { appName: config.appName }) })
  try {
    await mailer.send({ to, ...message })
  } catch (error) {
    metrics.mailSent(kind, 'error')
    throw error
  }
  metrics.mailSent(kind, 'ok')
}
