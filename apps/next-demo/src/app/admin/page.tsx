import type { Metadata } from 'next'
import { forbidden } from 'next/navigation'
import type { ReactElement } from 'react'
import { auth } from '../../auth.js'
import { webPolicies } from '../../server/web-policies.js'
import { AdminPage } from '../client-pages.js'

export const metadata: Metadata = { title: 'Admin' }

/** Admins only: members get the 403 page (app/forbidden.tsx). */
export default async function Page(): Promise<ReactElement> {
  const { user } = await auth.requireSession({ redirectTo: '/login?returnTo=%2Fadmin' })
  if (!webPolicies.can({ id: user.id, roles: user.roles }, 'admin.view').allowed) forbidden()
  return <AdminPage />
}
