import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import type { ReactElement } from 'react'
import { auth } from '../../auth.js'
import { pageState } from '../../server/page-state.js'
import { SignUpPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Create an account' }

/** Sign-up (a verification link is mailed); signed-in visitors go home. */
export default async function Page(): Promise<ReactElement> {
  const [session, page] = await Promise.all([auth.getSession(), pageState('signup')])
  if (session.user) redirect('/')
  return <SignUpPage page={page} />
}
