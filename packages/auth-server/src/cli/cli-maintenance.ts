import { migrate, prune } from '@acme/auth-core/postgres'
import type { Command } from './cli-command.js'

/** `migrate`: core's `migrate()` on PostgreSQL; Redis needs none. */
export const migrateCommand: Command = async ({ backend, print }) => {
  if (backend.postgres === undefined) {
    print('Redis needs no migration: nothing to do', { applied: [], version: null })
    return 0
  }
  const { pool, schema } = backend.postgres
  const result = await migrate(pool, { schema })
  print(
    result.applied.length === 0
      ? `schema ${schema} is up to date (version ${result.version})`
      : `schema ${schema}: applied ${result.applied.join(', ')}; now at version ${result.version}`,
    result,
  )
  return 0
}

/** `prune`: core's `prune()` on PostgreSQL (expired rows, in batches); Redis keys expire by TTL. */
export const pruneCommand: Command = async ({ backend, print }) => {
  if (backend.postgres === undefined) {
    print('Redis keys expire by TTL: nothing to prune', { ran: false, deleted: null })
    return 0
  }
  const { pool, schema } = backend.postgres
  const result = await prune(pool, { schema })
  const counts = Object.entries(result.deleted).map(([table, count]) => `${table} ${count}`).join(', ')
  print(result.ran ? `deleted expired rows: ${counts}` : 'another instance is pruning right now: nothing deleted', result)
  return 0
}
