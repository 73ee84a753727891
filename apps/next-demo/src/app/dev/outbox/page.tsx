import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import type { ReactElement } from 'react'
import { outboxEntries } from '../../../server/outbox-entries.js'
import { OutboxPage } from '../../client-pages.js'

export const metadata: Metadata = { title: 'Outbox (development)' }

/** Development only: the mail the demo would have sent, newest first (the proxy sends JSON requests to /dev/outbox.json). */
export default async function Page(): Promise<ReactElement> {
  const messages = await outboxEntries()
  if (!messages) notFound()
  return <OutboxPage messages={messages} />
}
