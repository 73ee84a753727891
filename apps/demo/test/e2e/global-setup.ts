import { join } from 'node:path'
import { build } from 'vite'
import { demoRoot } from './demo-process.js'

/** The browser tests run the demo in production mode: build the client once for all of them. */
export default async function setup(): Promise<void> {
  // Vitest sets NODE_ENV=test; the client must be the production build the demo serves in production.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ configFile: join(demoRoot, 'vite.config.ts'), mode: 'production', logLevel: 'error' })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
}
