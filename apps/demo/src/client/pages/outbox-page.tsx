import type { ReactElement } from 'react'
import type { OutboxEntry } from '../../shared/page-state.js'

/** Development only: every mail the demo would have sent, newest first (also as JSON at the same URL). */
export function OutboxPage({ messages }: { messages: OutboxEntry[] }): ReactElement {
  return (
    <>
      <section className="page-head">
        <h1>Outbox</h1>
        <p className="muted">
          Development: the demo keeps its mail here instead of sending it. Newest first; <code>Accept: application/json</code> gives the same as JSON.
        </p>
      </section>
      {messages.length === 0 && <p className="card muted">No mail yet.</p>}
      <ul className="notes" data-testid="outbox">
        {messages.map((message, index) => (
          <li className="card" key={index} data-testid="outbox-message">
            <p className="note-title">{message.subject}</p>
            <p className="muted">To: {message.to}</p>
            <p className="note-body">{message.text}</p>
            {message.links.map((link) => (
              <p key={link}>
                <a href={link}>{link}</a>
              </p>
            ))}
          </li>
        ))}
      </ul>
    </>
  )
}
