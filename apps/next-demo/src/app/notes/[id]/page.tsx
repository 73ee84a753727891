import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { NotePage } from '../../client-pages.js'

export const metadata: Metadata = { title: 'Note' }

/** One note; the upstream refuses (403) a note that is not yours. */
export default async function Page({ params }: { params: Promise<{ id: string }> }): Promise<ReactElement> {
  const { id } = await params
  return <NotePage noteId={id} />
}
