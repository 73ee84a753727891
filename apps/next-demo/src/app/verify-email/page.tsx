import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { VerifyEmailPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Confirm your email address' }

/** The mailed verification link lands here with ?token= (served with `Referrer-Policy: no-referrer`, next.config.ts). */
export default function Page(): ReactElement {
  return <VerifyEmailPage />
}
