import { renderToString } from 'react-dom/server'
import { App } from '../client/app.js'
import type { InitialState } from '../shared/page-state.js'
import { serializeInitialState } from './initial-state-script.js'

/** The built client's files for one page: module scripts and stylesheets (from Vite's manifest). */
export interface ClientAssets {
  scripts: string[]
  styles: string[]
}

const titles: Record<InitialState['page']['page'], string> = {
  login: 'Sign in',
  dashboard: 'Notes',
  note: 'Note',
  sessions: 'Devices',
  admin: 'Admin',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  signup: 'Create an account',
  'forgot-password': 'Forgot password',
  'reset-password': 'Choose a new password',
  'verify-email': 'Confirm your email address',
  account: 'Account',
  security: 'Security',
  outbox: 'Outbox (development)',
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * The whole HTML document: React rendered with the session the server already knows (signed in
 * from the first byte), and the same state embedded as JSON for hydration.
 */
export function renderPage(state: InitialState, assets: ClientAssets, nonce: string): string {
  const body = renderToString(<App state={state} />)
  const n = escapeAttribute(nonce)
  const styles = assets.styles.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}">`).join('')
  const scripts = assets.scripts.map((src) => `<script type="module" nonce="${n}" src="${escapeAttribute(src)}"></script>`).join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${titles[state.page.page]} · Acme Auth demo</title>
<link rel="icon" href="data:,">
${styles}
</head>
<body>
<div id="root">${body}</div>
<script id="initial-state" type="application/json" nonce="${n}">${serializeInitialState(state)}</script>
${scripts}
</body>
</html>`
}
