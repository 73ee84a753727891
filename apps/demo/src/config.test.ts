import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { readConfig } from './config.js'

const strong = randomBytes(32).toString('base64url')

describe('readConfig: AUTH_SECRET', () => {
  it('refuses to start without AUTH_SECRET when REDIS_URL is set', () => {
    expect(() => readConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /AUTH_SECRET is required because REDIS_URL is set .*openssl rand -base64 32/,
    )
  })

  it('refuses to start without AUTH_SECRET when NODE_ENV=production, also with an empty value', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET is required because NODE_ENV=production/)
    expect(() => readConfig({ NODE_ENV: 'production', AUTH_SECRET: '' })).toThrow(/AUTH_SECRET is required/)
  })

  it.each([
    ['shorter than 32 characters', 'x'.repeat(10) + 'y'.repeat(21), /at least 32 characters/],
    ['one character repeated', 'a'.repeat(48), /repeats one character/],
    ["the demo's former public default", 'acme-demo-development-secret-do-not-use-in-production', /known placeholder/],
    ['"changeme" repeated to length', 'changeme'.repeat(5), /known placeholder/],
    ['"secret" repeated with separators', 'secret-'.repeat(6), /known placeholder/],
    ['"CHANGE-ME" in capitals', 'CHANGE-ME-'.repeat(4), /known placeholder/],
  ])('refuses a weak AUTH_SECRET: %s', (_name, secret, reason) => {
    for (const env of [{ AUTH_SECRET: secret }, { AUTH_SECRET: secret, REDIS_URL: 'redis://127.0.0.1:6379', NODE_ENV: 'production' }]) {
      expect(() => readConfig(env)).toThrow(/AUTH_SECRET is too weak/)
      expect(() => readConfig(env)).toThrow(reason)
    }
  })

  it('accepts a strong secret in Redis mode and in production, and keeps it', () => {
    expect(readConfig({ AUTH_SECRET: strong, REDIS_URL: 'redis://127.0.0.1:6379', NODE_ENV: 'production' })).toMatchObject({
      secret: strong,
      redisUrl: 'redis://127.0.0.1:6379',
      production: true,
    })
  })

  it('generates a random secret per start in development with memory stores', () => {
    const first = readConfig({}).secret
    expect(first).toMatch(/^[\w-]{43}$/)
    expect(readConfig({}).secret).not.toBe(first)
  })
})

describe('readConfig: the shared stores', () => {
  it('DATABASE_URL and REDIS_CLUSTER_NODES require AUTH_SECRET, as REDIS_URL does', () => {
    expect(() => readConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/acme' })).toThrow(
      /AUTH_SECRET is required because DATABASE_URL is set \(the signing keys are sealed in PostgreSQL with it\)/,
    )
    expect(() => readConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(/AUTH_SECRET is required because REDIS_CLUSTER_NODES is set/)
  })

  it('reads DATABASE_URL and DATABASE_SCHEMA, and refuses what is not a postgres URL or a plain schema name', () => {
    expect(readConfig({ AUTH_SECRET: strong, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/acme' })).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/acme',
      databaseSchema: 'acme_auth',
      redisUrl: undefined,
    })
    expect(readConfig({ AUTH_SECRET: strong, DATABASE_URL: 'postgresql://db/acme', DATABASE_SCHEMA: 'demo_auth' }).databaseSchema).toBe('demo_auth')
    expect(() => readConfig({ AUTH_SECRET: strong, DATABASE_URL: 'mysql://db/acme' })).toThrow(/DATABASE_URL must be a postgres:\/\//)
    expect(() => readConfig({ AUTH_SECRET: strong, DATABASE_URL: 'postgres://db/acme', DATABASE_SCHEMA: 'x; DROP' })).toThrow(/DATABASE_SCHEMA/)
  })

  it('reads REDIS_CLUSTER_NODES as host:port pairs and names a malformed one', () => {
    expect(readConfig({ AUTH_SECRET: strong, REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001' }).redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ])
    for (const bad of ['10.0.0.1', '10.0.0.1:70000', 'a:1,,b:2', 'redis://a:1']) {
      expect(() => readConfig({ AUTH_SECRET: strong, REDIS_CLUSTER_NODES: bad }), bad).toThrow(/REDIS_CLUSTER_NODES must be host:port pairs/)
    }
  })

  it('refuses two shared stores at once rather than pick one', () => {
    expect(() => readConfig({ AUTH_SECRET: strong, REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://db/acme' })).toThrow(
      /set only one of REDIS_URL, DATABASE_URL/,
    )
    expect(() => readConfig({ AUTH_SECRET: strong, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'a:1' })).toThrow(/set only one of/)
  })
})

describe('readConfig: mail and the client build', () => {
  it('takes SMTP_URL (smtp:// or smtps:// only, without echoing it) and MAIL_FROM', () => {
    expect(readConfig({ SMTP_URL: 'smtps://user:pw@mail.example:465', MAIL_FROM: 'Demo <a@example.com>' })).toMatchObject({
      smtpUrl: 'smtps://user:pw@mail.example:465',
      mailFrom: 'Demo <a@example.com>',
    })
    expect(readConfig({})).toMatchObject({ smtpUrl: undefined, mailFrom: 'Acme Auth demo <no-reply@localhost>' })
    let message = ''
    try {
      readConfig({ SMTP_URL: 'http://user:hunter2@mail.example' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe('SMTP_URL must be an smtp:// or smtps:// URL')
  })

  it('serves the prebuilt client in production, and in development with DEMO_CLIENT=prebuilt', () => {
    expect(readConfig({ NODE_ENV: 'production', AUTH_SECRET: strong })).toMatchObject({ production: true, prebuiltClient: true })
    expect(readConfig({ DEMO_CLIENT: 'prebuilt' })).toMatchObject({ production: false, prebuiltClient: true })
    expect(readConfig({})).toMatchObject({ production: false, prebuiltClient: false })
    expect(() => readConfig({ DEMO_CLIENT: 'vite' })).toThrow(/DEMO_CLIENT must be 'watch' or 'prebuilt'/)
  })
})
