import type { Metadata } from 'next'
import type { ReactElement } from 'react'
import { pageState } from '../../server/page-state.js'
import { ForgotPasswordPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Forgot your password?' }

/** Asks for a reset link; works signed in too (someone else may know the password). */
export default async function Page(): Promise<ReactElement> {
  return <ForgotPasswordPage page={await pageState('forgot-password')} />
}
