import { isAuthError } from '@acme/auth-core'
import { parseArgs } from 'node:util'
import { openCliAudit, type CliAudit } from './cli-audit.js'
import { openBackend, type CliBackend } from './cli-backend.js'
import type { Command, CommandContext } from './cli-command.js'
import { CliFailure, loadCliConfig, UsageError } from './cli-config.js'
import { listKeysCommand, rotateKeysCommand } from './cli-keys.js'
import { migrateCommand, pruneCommand } from './cli-maintenance.js'
import { revokeRefreshFamilies } from './cli-refresh.js'
import { listSessions, revokeAllSessions, revokeSession } from './cli-sessions.js'
import { unlockUser } from './cli-users.js'

export const usage = `acme-auth: operator commands for Acme Auth (same store settings as the app)

Usage:
  acme-auth sessions list --user <userId>          list a user's live sessions
  acme-auth sessions revoke --id <sessionId>       end one session
  acme-auth sessions revoke-all --user <userId>    end every session of a user
  acme-auth refresh revoke --user <userId>         revoke every refresh-token family of a user
  acme-auth keys list                              signing keys and their status (read-only)
  acme-auth keys rotate [--compromised]            rotate now; --compromised drops every old key at once
  acme-auth users unlock --user <email>            clear an account's sign-in failures and lock
  acme-auth migrate                                PostgreSQL: create or update the schema
  acme-auth prune                                  PostgreSQL: delete expired rows (Redis: keys expire by TTL)

Options:
  --config <file.json>   the app's settings (default: $ACME_AUTH_CONFIG):
                         { "redis": "redis://…" | { "cluster": ["host:port", …] },
                           or "postgres": { "url": "postgres://…", "schema": "acme_auth" },
                           "prefix": "acme:auth:", "rateLimitPrefix": "acme:auth:rl:",
                           "keys": { "algorithm": "EdDSA" | "ES256" | "RS256",
                                     "rotation": { "promoteDelaySeconds": …, … } } }
  --json                 machine-readable output
  --audit-log <file>     append the audit events of changes to this file (default: $ACME_AUTH_AUDIT_LOG,
                         else stderr): pino-compatible JSON lines, "actor":"cli", redacted
  -h, --help             this text

Environment: ACME_AUTH_CONFIG (the config file), REDIS_URL or DATABASE_URL, ACME_AUTH_PREFIX,
ACME_AUTH_SCHEMA (override the file), ACME_AUTH_KEY_SECRET (the key ring's key-encryption secret,
needed by keys commands).
Exit codes: 0 done, 1 store unavailable or failed, 2 usage error, 3 not found.`

const commands: Record<string, Command> = {
  'sessions list': listSessions,
  'sessions revoke': revokeSession,
  'sessions revoke-all': revokeAllSessions,
  'refresh revoke': revokeRefreshFamilies,
  'keys list': listKeysCommand,
  'keys rotate': rotateKeysCommand,
  'users unlock': unlockUser,
  migrate: migrateCommand,
  prune: pruneCommand,
}

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
}

/** Runs one command; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        id: { type: 'string' },
        config: { type: 'string' },
        'audit-log': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        compromised: { type: 'boolean', default: false },
      },
    })
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help || positionals.length === 0) {
    io.out(usage)
    return values.help ? 0 : 2
  }
  const name = positionals.join(' ')
  const flags = { user: values.user, id: values.id, json: values.json, compromised: values.compromised }

  let backend: CliBackend | undefined
  let audit: CliAudit | undefined
  try {
    const config = loadCliConfig(values.config, io.env)
    const command = commands[name]
    if (command === undefined) throw new UsageError(`unknown command: ${name}`)
    const keySecret = () => {
      if (config.keySecret === undefined) throw new UsageError(`${name} needs ACME_AUTH_KEY_SECRET`)
      return config.keySecret
    }
    if (name.startsWith('keys ')) keySecret() // before connecting: a usage error costs no connection
    const auditLog = values['audit-log'] ?? io.env.ACME_AUTH_AUDIT_LOG
    audit = openCliAudit(auditLog === '' ? undefined : auditLog, (line) => io.err(line)) // before any change
    backend = await openBackend(config.backend, { requireMigrated: name !== 'migrate' })
    const context: CommandContext = {
      backend,
      config,
      flags,
      print: (human, data) => io.out(flags.json ? JSON.stringify(data) : human),
      note: (line) => io.err(line),
      need: (flag) => {
        const value = flags[flag]
        if (value === undefined || value.length === 0) throw new UsageError(`${name} needs --${flag}`)
        return value
      },
      keySecret,
      audit,
    }
    return await command(context)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${usage}`)
      return 2
    }
    const message =
      error instanceof CliFailure
        ? error.message
        : isAuthError(error, 'ERR_KEY_ENCRYPTION')
          ? 'the key-encryption secret does not open the stored keys'
          : isAuthError(error)
            ? 'the store is unavailable'
            : `failed: ${(error as Error).message}`
    const cause = isAuthError(error) ? causeOf(error) : undefined
    if (flags.json) io.err(JSON.stringify(cause === undefined ? { error: message } : { error: message, cause }))
    else io.err(`acme-auth: ${message}${cause === undefined ? '' : ` (${cause})`}`)
    return 1
  } finally {
    await backend?.close()
    audit?.close()
  }
}

/** What the store's driver said (e.g. `connect ECONNREFUSED 127.0.0.1:5432`), for the operator. */
function causeOf(error: Error): string | undefined {
  const cause = error.cause
  if (cause instanceof AggregateError && cause.errors[0] instanceof Error) return cause.errors[0].message
  return cause instanceof Error && cause.message.length > 0 ? cause.message : undefined
}
