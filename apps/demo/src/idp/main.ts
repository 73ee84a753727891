import { demoAccounts, readConfig } from '../config.js'
import { createDemoIdp } from './demo-idp.js'

// The demo OpenID Provider as its own process (`pnpm demo` starts it).
const config = readConfig()
const app = createDemoIdp({
  issuer: config.idpOrigin,
  appOrigin: config.appOrigin,
  clientId: config.idpClientId,
  clientSecret: config.idpClientSecret,
  accounts: demoAccounts.map((account) => ({ sub: account.id, email: account.email, name: account.name, password: account.password })),
})
const server = app.listen(config.idpPort, '127.0.0.1')
server.on('listening', () => process.send?.({ ready: 'idp' }))

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close()
    process.exit(0)
  })
}

// Started by the demo: end with it, even if it dies without stopping this process.
process.on('disconnect', () => process.exit(0))
