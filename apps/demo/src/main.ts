import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createPasswordHasher } from '@acme/auth-core/argon2'
import { createOutboxMailer } from '@acme/auth-core'
import { createSmtpMailer } from '@acme/auth-server'
import { createPrometheusMetrics } from '@acme/auth-server/prometheus'
import { createHealthSampler } from './web/health-sampler.js'
import express from 'express'
import { demoAccounts, readConfig } from './config.js'
import { createAuditLog } from './web/audit-log.js'
import { createAuthStores } from './web/auth-stores.js'
import { buildClientInWatchMode, clientBuilt, clientDir, readClientAssets } from './web/client-assets.js'
import { createDemoUsers } from './web/demo-users.js'
import { createWebApp } from './web/web-app.js'

// `pnpm demo`: the web app in this process, the upstream API and the demo IdP as child processes.
let config: ReturnType<typeof readConfig>
try {
  config = readConfig()
} catch (error) {
  // A bad setting (a missing or weak AUTH_SECRET, a port out of range): one clear line, no stack.
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
const children: ChildProcess[] = []
let stopping = false

/** Starts `src/<name>/main.ts` in its own Node process and waits until it listens. */
function startChild(name: 'upstream' | 'idp'): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, name, 'main.ts'), {
    execArgv: ['--conditions=@acme/source', '--import', 'tsx'],
    env: process.env,
    stdio: 'inherit',
  })
  children.push(child)
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(`[demo] the ${name} process ended (${signal ?? code}); stopping the demo`)
    void stop(1)
  })
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child))
    child.once('error', reject)
  })
}

// The upstream and the IdP need nothing from the web app until the first request: start them while
// the web app sets up (each child loads its own modules, which is most of the start-up time).
const childrenReady = Promise.all([startChild('upstream'), startChild('idp')])
const metrics = createPrometheusMetrics()
const health = createHealthSampler(() => metrics.collect(), { intervalMs: config.healthSampleMs })
const client = config.prebuiltClient ? undefined : await buildClientInWatchMode()
if (config.prebuiltClient && !clientBuilt()) {
  console.error('[demo] no built client in dist/client: run `pnpm --filter @acme/demo build` first')
  process.exit(1)
}
const productionAssets = config.prebuiltClient ? readClientAssets() : undefined

const audit = createAuditLog({ write: (line) => process.stdout.write(line) })
const stores = await createAuthStores(config, audit)
const passwords = createPasswordHasher()
const users = await createDemoUsers(demoAccounts, passwords, stores.postgres)
// Development keeps every mail at /dev/outbox; production sends through SMTP_URL (or sends none).
const smtp = config.production && config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : undefined
const mail = config.production ? (smtp ? { mailer: smtp } : undefined) : { outbox: createOutboxMailer() }
const web = createWebApp({
  config,
  stores,
  users,
  passwords,
  audit,
  assets: productionAssets ? () => productionAssets : readClientAssets,
  staticFiles: express.static(join(clientDir, 'assets'), {
    index: false,
    fallthrough: false,
    ...(config.production ? { immutable: true, maxAge: '1y' } : {}),
  }),
  metrics: metrics.handler,
  health,
  idp: { issuer: config.idpOrigin, clientId: config.idpClientId, clientSecret: config.idpClientSecret },
  ...(mail ? { mail } : {}),
})

const server = web.app.listen(config.port, '127.0.0.1')
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve)
  server.once('error', reject)
})
await childrenReady

console.warn(`
  Acme Auth demo ${config.production ? '(production build)' : '(development)'}
  web app     ${config.appOrigin}
  upstream    http://localhost:${config.upstreamPort}   (Bearer JWTs only, verified with ${config.appOrigin}/.well-known/jwks.json)
  demo IdP    ${config.idpOrigin}
  metrics     ${config.appOrigin}/metrics
  mail        ${config.production ? (smtp ? 'SMTP (SMTP_URL)' : 'none: set SMTP_URL to send account mail (sign-up and "forgot password" are off)') : `kept at ${config.appOrigin}/dev/outbox`}
  strategy    ${config.strategy}, stores in ${stores.description}, users in ${users.description}, access tokens live ${config.accessTokenSeconds} s

  Demo accounts (their passwords are in the README: no log shows a password)
  ${demoAccounts.map((account) => `${account.email.padEnd(20)} ${account.roles.join(', ')}`).join('\n  ')}
`)

async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  server.close()
  server.closeAllConnections()
  health.stop()
  smtp?.close()
  await Promise.allSettled([web.close(), stores.close(), client?.close(), metrics.shutdown()])
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0))
