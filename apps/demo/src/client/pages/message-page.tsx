import type { ReactElement } from 'react'

/** A short page with a title and a sentence (403, 404). */
export function MessagePage({ title, text }: { title: string; text: string }): ReactElement {
  return (
    <section className="card narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href="/">Back to your notes</a>
      </p>
    </section>
  )
}
