import type { ReactElement } from 'react'
import type { PageState } from '../../shared/page-state.js'

/** Development only: where the mail went. */
export function OutboxHint({ page }: { page: PageState }): ReactElement | null {
  if (!page.devOutbox) return null
  return (
    <p className="hint">
      Development: mail is not sent but kept in the <a href="/dev/outbox">outbox</a>.
    </p>
  )
}
