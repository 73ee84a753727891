import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { SessionsPage } from '../../client-pages.js'

export const metadata: Metadata = { title: 'Devices' }

/** The devices signed in to this account: revoke one, or sign out everywhere. */
export default function Page(): ReactElement {
  return <SessionsPage />
}
