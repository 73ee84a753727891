import { createNextAuth } from '@acme/auth-server/next'
import { demoServer } from './server/demo-server.js'

// The stores connect (Redis, PostgreSQL) and the key ring loads asynchronously: the core is
// built on the first request, once per process, and shared by every route, page and the proxy.
export const auth = createNextAuth(async () => (await demoServer()).core)
