import {
  createAccessTokens,
  createKeyRing,
  createLoginLimiter,
  createRefreshFamilies,
  createSessionManager,
  type KeyRing,
  type LoginLimiter,
  type RefreshFamilies,
  type SessionManager,
} from '@acme/auth-core'
import { createRedisRateLimitStore, RedisKeyStore, RedisRefreshStore, RedisSessionStore } from '@acme/auth-core/redis'
import { deleteRedisPrefix } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markdownSections, runbookCommands, type RunbookCommand } from '../../test/markdown-sections.js'
import { registeredSeries, selectorProblems, type RegisteredSeries } from '../../test/prometheus-series.js'
import { runCli } from './cli.js'

// docs/runbooks.md as a test: every `acme-auth` command in it runs here, in the order written,
// through the in-process CLI against a real Redis, after the state its section describes is set
// up by the app's side (core's session manager, key ring, refresh families and login limiter on
// the same prefix). The config file is the document's own JSON block. A command documented with
// `# exit 1` (store unavailable) runs against a Redis that is not there.

const docPath = new URL('../../../../docs/runbooks.md', import.meta.url)
const doc = readFileSync(docPath, 'utf8')
const sections = markdownSections(doc)
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const unreachableRedis = 'redis://127.0.0.1:1'
const keySecret = 'runbooks-test-key-encryption-secret-0123456789'

/** The runbooks the document must have, each with at least one command. */
const requiredRunbooks = [
  'a-user-keeps-getting-signed-out',
  'sign-a-user-or-every-user-out-now',
  'rotate-signing-keys-on-schedule',
  'a-signing-key-is-compromised',
  'refresh-token-reuse-detected',
  'credential-stuffing-or-elevated-sign-in-failures',
  'redis-or-the-store-is-down-or-slow',
  'revocation-listener-down',
  'unlock-a-locked-out-account',
]

const configJson = sections.flatMap((s) => s.blocks).find((b) => b.lang === 'json')
if (configJson === undefined) throw new Error('docs/runbooks.md has no JSON config block')
const configDir = mkdtempSync(join(tmpdir(), 'acme-runbooks-'))
const configPath = join(configDir, 'acme-auth.config.json')
writeFileSync(configPath, configJson.lines.join('\n'))
const documentedRotation = (JSON.parse(configJson.lines.join('\n')) as { keys: { rotation: Record<string, number> } }).keys.rotation

/** The app's side of one section, on its own key prefix. */
interface World {
  prefix: string
  sessions: SessionManager
  keyRing: KeyRing
  families: RefreshFamilies
  limiter: LoginLimiter
  activeKid: string
  /** Session tokens: two of the user's devices and another user's. */
  laptop: string
  phone: string
  otherUser: string
  /** Refresh tokens of the user and of the other user. */
  refresh: string
  otherRefresh: string
  placeholders: Record<string, string>
  files: Record<string, string[]>
}

interface Run {
  command: RunbookCommand
  code: number
  stdout: string
  stderr: string
}

const userId = 'u-runbook'
const otherId = 'u-runbook-other'
const email = 'Runbook.User@Example.com'

let client: Redis
let registered: RegisteredSeries
const prefixes: string[] = []

beforeAll(async () => {
  client = new Redis(redisUrl, { lazyConnect: true })
  await client.connect()
  registered = await registeredSeries()
})
afterAll(async () => {
  for (const prefix of prefixes) await deleteRedisPrefix(client, prefix)
  client.disconnect()
  rmSync(configDir, { recursive: true, force: true })
})

async function createWorld(index: number): Promise<World> {
  const prefix = `test:runbooks:${process.pid}:${index}:`
  prefixes.push(prefix)
  const sessions = createSessionManager({ store: new RedisSessionStore({ client, prefix }) })
  // The app's ring, with the document's timings; refreshSeconds 0 so it sees the CLI's changes at once.
  const keyRing = createKeyRing({
    store: new RedisKeyStore({ client, prefix }),
    secret: keySecret,
    alg: 'ES256',
    rotation: { ...documentedRotation, refreshSeconds: 0 },
  })
  await keyRing.ready()
  const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'https://app.test' })
  const families = createRefreshFamilies({ store: new RedisRefreshStore({ client, prefix }), accessTokens, sessions })
  const limiter = createLoginLimiter({
    store: createRedisRateLimitStore({ client, prefix: `${prefix}rl:` }),
    account: { maxAttempts: 2, knownIpSeconds: 0 },
  })

  const laptop = await sessions.create(userId, { userAgent: 'Firefox on the laptop' })
  const phone = await sessions.create(userId, { userAgent: 'Safari on the phone' })
  const other = await sessions.create(otherId)
  const refresh = await families.issue({ sub: userId, sid: laptop.session.id, roles: ['member'] })
  const otherRefresh = await families.issue({ sub: otherId, sid: other.session.id, roles: ['member'] })
  // The account is locked: failures from many IPs past the per-account limit.
  for (const ip of ['198.51.100.1', '198.51.100.2']) await limiter.attempt({ account: email, ip })
  expect(await limiter.attempt({ account: email, ip: '198.51.100.3' })).toMatchObject({ allowed: false, reason: 'locked' })

  const [active] = (await keyRing.list()).filter((key) => key.status === 'active')
  return {
    prefix,
    sessions,
    keyRing,
    families,
    limiter,
    activeKid: active!.kid,
    laptop: laptop.token,
    phone: phone.token,
    otherUser: other.token,
    refresh: refresh.refreshToken,
    otherRefresh: otherRefresh.refreshToken,
    placeholders: { '<userId>': userId, '<sessionId>': phone.session.id, '<email>': email.toLowerCase() },
    files: { 'user-ids.txt': [userId, otherId] },
  }
}

const kids = async (world: World) => (await world.keyRing.jwks()).keys.map((key) => key.kid)
const signedIn = async (world: World, token: string) => (await world.sessions.validate(token)) !== null
const rotates = (world: World, token: string) => world.families.rotate(token).then(
  () => true,
  () => false,
)

interface Scenario {
  /** State beyond the common world, before the commands run. */
  before?(world: World): Promise<void>
  /** What must hold after the section's commands ran. */
  after(world: World, runs: Run[]): Promise<void> | void
}

/** One scenario per section with commands: a new section needs one here. */
const scenarios: Record<string, Scenario> = {
  'before-you-start': {
    after(world, runs) {
      expect(runs.at(-1)!.stdout).toContain(world.activeKid)
    },
  },
  'a-user-keeps-getting-signed-out': {
    async after(world, runs) {
      const listed = JSON.parse(runs.find((run) => run.command.args.includes('--json'))!.stdout) as { userAgent: string }[]
      expect(listed.map((s) => s.userAgent).sort()).toEqual(['Firefox on the laptop', 'Safari on the phone'])
      expect(await signedIn(world, world.laptop)).toBe(true) // looking changes nothing
    },
  },
  'sign-a-user-or-every-user-out-now': {
    async after(world, runs) {
      for (const token of [world.laptop, world.phone, world.otherUser]) expect(await signedIn(world, token)).toBe(false)
      expect(await rotates(world, world.refresh)).toBe(false)
      expect(await rotates(world, world.otherRefresh)).toBe(false)
      expect(await kids(world)).not.toContain(world.activeKid)
      expect(await kids(world)).toHaveLength(1)
      expect(runs.at(-2)!.stdout).toBe('no sessions')
      expect(runs.at(-1)!.stdout).toBe(`revoked 0 refresh families of ${userId}`)
    },
  },
  'rotate-signing-keys-on-schedule': {
    async after(world, runs) {
      const listed = JSON.parse(runs.at(-1)!.stdout) as { kid: string; status: string }[]
      const next = listed.find((key) => key.status === 'next')
      expect(next).toBeDefined()
      expect(listed.find((key) => key.status === 'active')?.kid).toBe(world.activeKid)
      expect(await kids(world)).toEqual(expect.arrayContaining([world.activeKid, next!.kid]))
      expect(await rotates(world, world.refresh)).toBe(true) // nobody is signed out
    },
  },
  'a-signing-key-is-compromised': {
    async after(world) {
      const [only, ...rest] = await world.keyRing.list()
      expect(rest).toEqual([])
      expect(only).toMatchObject({ status: 'active' })
      expect(only!.kid).not.toBe(world.activeKid)
      expect(await kids(world)).toEqual([only!.kid])
      expect(await rotates(world, world.refresh)).toBe(true) // refresh tokens are not affected
    },
  },
  'refresh-token-reuse-detected': {
    async before(world) {
      // The thief and the client both hold the token: one rotates twice, the other presents the old one.
      const next = await world.families.rotate(world.refresh)
      await world.families.rotate(next.refreshToken)
      await expect(world.families.rotate(world.refresh)).rejects.toMatchObject({ code: 'ERR_REFRESH_TOKEN_REUSED' })
    },
    async after(world, runs) {
      expect(await signedIn(world, world.phone)).toBe(false)
      expect(await signedIn(world, world.otherUser)).toBe(true)
      expect(runs.at(-1)!.stdout).toBe('no sessions')
    },
  },
  'credential-stuffing-or-elevated-sign-in-failures': {
    async after(world) {
      expect(await world.limiter.check({ account: email, ip: '203.0.113.9' })).toEqual({ allowed: true })
      expect(await signedIn(world, world.phone)).toBe(false)
      expect(await rotates(world, world.refresh)).toBe(false)
    },
  },
  'redis-or-the-store-is-down-or-slow': {
    async after(world, runs) {
      const down = runs.filter((run) => run.command.exitCode === 1)
      expect(down.length).toBeGreaterThan(0)
      for (const run of down) expect(run.stderr).toMatch(/the store is unavailable \(connect ECONNREFUSED/)
      expect(runs.at(-1)!.stdout).toContain(world.activeKid)
      expect(await signedIn(world, world.phone)).toBe(true)
    },
  },
  'revocation-listener-down': {
    async after(world, runs) {
      // The store answers while only the listener is down: the user's two devices are listed.
      expect(runs.at(-1)!.stdout).toContain('Firefox on the laptop')
      expect(runs.at(-1)!.stdout).toContain('Safari on the phone')
      expect(await signedIn(world, world.phone)).toBe(true) // looking changes nothing
    },
  },
  'unlock-a-locked-out-account': {
    async after(world, runs) {
      expect(await world.limiter.check({ account: email, ip: '203.0.113.9' })).toEqual({ allowed: true })
      expect(runs.at(-1)!.stdout).toBe('unlocked: the account’s sign-in failures and lock are cleared')
    },
  },
  'jwks-fetches-fail': {
    after(world, runs) {
      expect(runs.at(-1)!.stdout).toContain(world.activeKid)
    },
  },
}

/** Runs one documented command (once per line of its file for `xargs`); placeholders replaced. */
async function run(world: World, command: RunbookCommand): Promise<Run[]> {
  const args = command.args.map((word) => {
    if (!/^<\w+>$/.test(word)) return word
    const value = world.placeholders[word]
    if (value === undefined) throw new Error(`no value for ${word} in: ${command.line}`)
    return value
  })
  const appended = command.eachLineOf === undefined ? [[]] : (world.files[command.eachLineOf] ?? []).map((line) => [line])
  if (appended.length === 0) throw new Error(`no lines for ${command.eachLineOf} in: ${command.line}`)
  const runs: Run[] = []
  for (const extra of appended) {
    const out: string[] = []
    const err: string[] = []
    const env: NodeJS.ProcessEnv = {
      ACME_AUTH_CONFIG: configPath,
      ACME_AUTH_KEY_SECRET: keySecret,
      REDIS_URL: command.exitCode === 1 ? unreachableRedis : redisUrl,
      ACME_AUTH_PREFIX: world.prefix,
    }
    const code = await runCli([...args, ...extra], { out: (line) => out.push(line), err: (line) => err.push(line), env })
    const result = { command, code, stdout: out.join('\n'), stderr: err.join('\n') }
    expect(code, `${command.line}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(command.exitCode)
    runs.push(result)
  }
  return runs
}

describe('docs/runbooks.md', () => {
  it('has every runbook, each with commands, and every link points at a section', () => {
    const slugs = sections.map((s) => s.slug)
    for (const slug of requiredRunbooks) {
      expect(slugs).toContain(slug)
      expect(runbookCommands(sections.find((s) => s.slug === slug)!).length, slug).toBeGreaterThan(0)
    }
    for (const link of sections.flatMap((s) => s.links)) expect(slugs).toContain(link)
    for (const section of sections) if (runbookCommands(section).length > 0) expect(Object.keys(scenarios)).toContain(section.slug)
  })

  it('names only metrics and labels the code serves in its PromQL blocks', () => {
    const queries = sections.flatMap((s) => s.blocks.filter((b) => b.lang === 'promql').flatMap((b) => b.lines.filter((l) => l.trim() !== '')))
    expect(queries.length).toBeGreaterThan(10)
    expect(queries.flatMap((query) => selectorProblems(query, registered))).toEqual([])
  })

  const runnable = sections.map((section, index) => ({ section, index })).filter(({ section }) => runbookCommands(section).length > 0)
  it.each(runnable.map(({ section, index }) => [section.title, section, index] as const))('%s: every command runs as documented', async (_title, section, index) => {
    const world = await createWorld(index)
    const scenario = scenarios[section.slug]!
    await scenario.before?.(world)
    const runs: Run[] = []
    for (const command of runbookCommands(section)) runs.push(...(await run(world, command)))
    await scenario.after(world, runs)
  })
})
