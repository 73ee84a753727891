import { conformanceTimeoutMs } from './test-postgres.js'
import { PostgresSessionStore } from '@acme/auth-core/postgres'
import { createTestPostgresSchema } from '../postgres/test-postgres-schema.js'
import { runSessionStoreConformance } from './index.js'

runSessionStoreConformance('PostgresSessionStore on 127.0.0.1:5432', async () => {
  const db = await createTestPostgresSchema()
  const store = new PostgresSessionStore({ pool: db.pool, schema: db.schema, timeoutMs: conformanceTimeoutMs })
  return {
    store,
    dump: db.dump,
    async close() {
      await store.close()
      await db.close()
    },
  }
})
