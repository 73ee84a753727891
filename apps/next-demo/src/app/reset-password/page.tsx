import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { ResetPasswordPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Choose a new password' }

/** The mailed reset link lands here with ?token= (served with `Referrer-Policy: no-referrer`, next.config.ts). */
export default function Page(): ReactElement {
  return <ResetPasswordPage />
}
