import { safeReturnTo, type PageState } from '@acme/demo/shared/page-state'
import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import type { ReactElement } from 'react'
import { demoServer } from '../../server/demo-server.js'
import { auth } from '../../auth.js'
import { LoginPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Sign in' }

// After a reset or a deletion, the page says so.
const notices = ['password-reset', 'account-deleted'] as const

/** Password sign-in and "Sign in with Demo IdP"; signed-in visitors go where they were going. */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<ReactElement> {
  const query = await searchParams
  const returnTo = safeReturnTo(query.returnTo)
  const [session, server] = await Promise.all([auth.getSession(), demoServer()])
  if (session.user) redirect(returnTo)
  const notice = notices.find((candidate) => candidate === query.notice)
  const page: PageState = {
    page: 'login',
    strategy: server.config.strategy,
    returnTo,
    ...(query.error === undefined ? {} : { error: 'oauth' }),
    ...(notice ? { notice } : {}),
    ...(query.mfa === 'pending' ? { mfaPending: true as const } : {}),
    ...(server.outbox ? { devOutbox: true } : {}),
  }
  return <LoginPage page={page} />
}
