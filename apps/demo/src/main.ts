import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createPasswordHasher } from '@acme/auth-core/argon2'
import { createPrometheusMetrics } from '@acme/auth-server/prometheus'
import express from 'express'
import { demoAccounts, readConfig } from './config.js'
import { createAuditLog } from './web/audit-log.js'
import { createAuthStores } from './web/auth-stores.js'
import { buildClientInWatchMode, clientBuilt, clientDir, readClientAssets } from './web/client-assets.js'
import { createDemoUsers } from './web/demo-users.js'
import { createWebApp } from './web/web-app.js'

// `pnpm demo`: the web app in this process, the upstream API and the demo IdP as child processes.
const config = readConfig()
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

const metrics = createPrometheusMetrics() // before anything records: core's meters bind at creation
const client = config.production ? undefined : await buildClientInWatchMode()
if (config.production && !clientBuilt()) {
  console.error('[demo] no built client in dist/client: run `pnpm --filter @acme/demo build` first')
  process.exit(1)
}
const productionAssets = config.production ? readClientAssets() : undefined

const audit = createAuditLog({ write: (line) => process.stdout.write(line) })
const stores = await createAuthStores(config, audit)
const passwords = createPasswordHasher()
const users = await createDemoUsers(demoAccounts, passwords)
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
  idp: { issuer: config.idpOrigin, clientId: config.idpClientId, clientSecret: config.idpClientSecret },
})

const server = web.app.listen(config.port, '127.0.0.1')
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve)
  server.once('error', reject)
})
await Promise.all([startChild('upstream'), startChild('idp')])

console.warn(`
  Acme Auth demo ${config.production ? '(production build)' : '(development)'}
  web app     ${config.appOrigin}
  upstream    http://localhost:${config.upstreamPort}   (Bearer JWTs only, verified with ${config.appOrigin}/.well-known/jwks.json)
  demo IdP    ${config.idpOrigin}
  metrics     ${config.appOrigin}/metrics
  strategy    ${config.strategy}, stores in ${config.redisUrl ? `Redis (${config.redisPrefix}*)` : 'memory'}, access tokens live ${config.accessTokenSeconds} s

  Demo accounts
  ${demoAccounts.map((account) => `${account.email.padEnd(20)} ${account.password.padEnd(16)} ${account.roles.join(', ')}`).join('\n  ')}
`)

async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  server.close()
  server.closeAllConnections()
  await Promise.allSettled([web.close(), stores.close(), client?.close(), metrics.shutdown()])
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0))
