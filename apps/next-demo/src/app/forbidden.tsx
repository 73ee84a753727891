import type { ReactElement } from 'react'
import { MessagePage } from './client-pages.js'

export default function Forbidden(): ReactElement {
  return <MessagePage title="Not allowed" text="Your account cannot open this page." />
}
