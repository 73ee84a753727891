import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { SecurityPage } from '../../client-pages.js'

export const metadata: Metadata = { title: 'Security' }

/** Second factors: an authenticator app, recovery codes, passkeys (signed in: the proxy). */
export default function Page(): ReactElement {
  return <SecurityPage />
}
