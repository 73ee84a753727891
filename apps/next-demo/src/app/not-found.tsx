import type { ReactElement } from 'react'
import { MessagePage } from './client-pages.js'

export default function NotFound(): ReactElement {
  return <MessagePage title="Not found" text="There is no page at this address." />
}
