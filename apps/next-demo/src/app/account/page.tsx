import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { AccountPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Account' }

/** Account settings: change the password, linked sign-in methods, delete the account (signed in: the proxy). */
export default function Page(): ReactElement {
  return <AccountPage />
}
