import { MemorySessionStore } from '@acme/auth-core'
import { runSessionStoreConformance } from './index.js'

runSessionStoreConformance('MemorySessionStore', () => {
  const store = new MemorySessionStore()
  return { store, dump: () => Promise.resolve(JSON.stringify(store.snapshot())) }
})
