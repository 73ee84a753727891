import { createKeyRing, createSessionManager, isAuthError } from '@acme/auth-core'
import { RedisKeyStore, RedisSessionStore } from '@acme/auth-core/redis'
import { Redis } from 'ioredis'
import { parseArgs } from 'node:util'
import { loadCliConfig, UsageError } from './cli-config.js'

export const usage = `acme-auth: operator commands for Acme Auth (same store settings as the app)

Usage:
  acme-auth sessions list --user <userId>          list a user's live sessions
  acme-auth sessions revoke --id <sessionId>       end one session
  acme-auth sessions revoke-all --user <userId>    end every session of a user
  acme-auth keys list                              signing keys and their status
  acme-auth keys rotate [--compromised]            rotate now; --compromised drops every old key at once

Options:
  --config <file.json>   { "redisUrl": "redis://…", "prefix": "acme:auth:" }
  --json                 machine-readable output
  -h, --help             this text

Environment: REDIS_URL, ACME_AUTH_PREFIX (override the config file), ACME_AUTH_KEY_SECRET
(the key ring's key-encryption secret, needed by keys commands).
Exit codes: 0 done, 1 store unavailable or failed, 2 usage error, 3 not found.`

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
  const command = positionals.join(' ')
  const print = (human: string, data: unknown) => io.out(values.json ? JSON.stringify(data) : human)

  let client: Redis | undefined
  try {
    const config = loadCliConfig(values.config, io.env)
    const need = (value: string | undefined, flag: string) => {
      if (value === undefined || value.length === 0) throw new UsageError(`${command} needs --${flag}`)
      return value
    }
    const known = ['sessions list', 'sessions revoke', 'sessions revoke-all', 'keys list', 'keys rotate']
    if (!known.includes(command)) throw new UsageError(`unknown command: ${command}`)

    client = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null })
    client.on('error', () => {})
    await client.connect()
    const store = new RedisSessionStore({ client, prefix: config.prefix })
    const sessions = createSessionManager({ store })
    const keyRing = () => {
      if (config.keySecret === undefined) throw new UsageError(`${command} needs ACME_AUTH_KEY_SECRET`)
      return createKeyRing({ store: new RedisKeyStore({ client: client!, prefix: config.prefix }), secret: config.keySecret })
    }

    switch (command) {
      case 'keys list': {
        const ring = keyRing()
        await ring.ready()
        const keys = await ring.list()
        print(keys.map((k) => `${k.kid}  ${k.alg}  ${k.status}`).join('\n') || 'no keys', keys)
        return 0
      }
      case 'keys rotate': {
        const ring = keyRing()
        await ring.ready()
        const key = await ring.rotate({ compromised: values.compromised })
        print(`rotated: ${key.kid} (${key.status})${values.compromised ? '; every older key removed' : ''}`, key)
        return 0
      }
      case 'sessions list': {
        const userId = need(values.user, 'user')
        const list = await sessions.listForUser(userId)
        const rows = list.map((s) => ({
          id: s.id,
          createdAt: new Date(s.createdAt).toISOString(),
          lastSeenAt: new Date(s.lastSeenAt).toISOString(),
          userAgent: s.userAgent ?? null,
          ip: s.ip ?? null,
        }))
        print(rows.map((r) => `${r.id}  last seen ${r.lastSeenAt}  ${r.userAgent ?? ''}`).join('\n') || 'no sessions', rows)
        return 0
      }
      case 'sessions revoke': {
        const id = need(values.id, 'id')
        const revoked = await sessions.revoke(id)
        print(revoked ? `revoked ${id}` : `no session ${id}`, { revoked })
        return revoked ? 0 : 3
      }
      default: {
        const userId = need(values.user, 'user')
        const count = await sessions.revokeAllForUser(userId)
        print(`revoked ${count} session(s) of ${userId}`, { revoked: count })
        return 0
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${usage}`)
      return 2
    }
    const message = isAuthError(error, 'ERR_KEY_ENCRYPTION')
      ? 'the key-encryption secret does not open the stored keys'
      : isAuthError(error)
        ? 'the store is unavailable'
        : `failed: ${(error as Error).message}`
    io.err(values.json ? JSON.stringify({ error: message }) : `acme-auth: ${message}`)
    return 1
  } finally {
    client?.disconnect()
  }
}
