import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { DashboardPage } from './client-pages.js'

export const metadata: Metadata = { title: 'Notes' }

/** Your notes (signed-out visitors never get here: the proxy sends them to /login). */
export default function Page(): ReactElement {
  return <DashboardPage />
}
