import type { OutboxEntry } from '@acme/demo/shared/page-state'
import { demoServer } from './demo-server.js'

/** The development outbox as `GET /dev/outbox` lists it (newest first), or `null` in production (404). */
export async function outboxEntries(): Promise<OutboxEntry[] | null> {
  const { outbox } = await demoServer()
  return outbox ? outbox.messages().map(({ to, subject, text, links }) => ({ to, subject, text, links: [...links] })) : null
}
