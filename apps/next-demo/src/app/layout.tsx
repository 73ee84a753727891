import '@acme/demo/client/styles.css'
import type { Metadata } from 'next'
import type { ReactElement, ReactNode } from 'react'
import { demoServer } from '../server/demo-server.js'
import { auth } from '../auth.js'
import { Providers } from './providers.js'

export const metadata: Metadata = { title: { template: '%s · Acme Auth demo', default: 'Acme Auth demo' }, icons: { icon: 'data:,' } }

// Every page holds a per-user payload: rendered per request, never cached.
export const dynamic = 'force-dynamic'

/** Signed in from the first byte: the provider starts from the session the server read. */
export default async function RootLayout({ children }: { children: ReactNode }): Promise<ReactElement> {
  const [session, server] = await Promise.all([auth.getSession(), demoServer()])
  return (
    <html lang="en">
      <body>
        <Providers session={session} strategy={server.config.strategy}>
          {children}
        </Providers>
      </body>
    </html>
  )
}
