import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { parseClusterNodes, type ClusterNodeLine } from './cluster-nodes.js'
import { startRedisServer, type TestRedisServer } from './redis-server.js'

const run = promisify(execFile)

/** One node of a {@link TestRedisCluster}: always 127.0.0.1. */
export interface TestRedisClusterNode {
  readonly host: string
  readonly port: number
}

/** What {@link TestRedisCluster.waitForFailover} saw: who serves the killed masters' slots now. */
export interface TestRedisFailover {
  /** The ports of the replicas that were promoted to master since the cluster started. */
  readonly promoted: readonly number[]
  /** Milliseconds from the last `killMaster()` until every slot was served by a live master again. */
  readonly afterMs: number
}

/** A Redis Cluster that a test started on its own loopback ports. */
export interface TestRedisCluster {
  /** Every node, masters first, then replicas (the seed list for an ioredis `Cluster`). */
  readonly nodes: readonly TestRedisClusterNode[]
  /** The live masters now, ordered by the first slot they serve (master 0 serves slot 0). */
  masters(): Promise<TestRedisClusterNode[]>
  /**
   * Kills master `index` of {@link masters} at once (SIGKILL, as a crash) and returns its port.
   * With replicas, one of them takes its slots over after `cluster-node-timeout` (2 s) and an
   * election: see {@link waitForFailover}. Without, its slots stay down.
   */
  killMaster(index: number): Promise<TestRedisClusterNode>
  /**
   * Resolves once every live node reports `cluster_state:ok` and every slot is served by a live
   * master (after a `killMaster()`: its replica was promoted), or throws after `timeoutMs`.
   */
  waitForFailover(timeoutMs?: number): Promise<TestRedisFailover>
  /**
   * Resolves once every replica has acknowledged everything its master has written (replication
   * is asynchronous: a write acknowledged to the client and not yet replicated is lost if its master
   * dies), or throws after `timeoutMs`.
   */
  waitForReplication(timeoutMs?: number): Promise<void>
  /** Stops every node and deletes their data. */
  close(): Promise<void>
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** How many masters share the 16384 slots. At least 3 (a failover needs a majority). @default 3 */
  masters?: number
  /** Replicas per master, which can take over when it dies. @default 0 */
  replicas?: number
}

const nodeTimeoutMs = 2000

/**
 * Starts `masters × (1 + replicas)` cluster-enabled `redis-server` processes on free ports
 * (`cluster-node-timeout` 2 s, no persistence), joins them with `redis-cli --cluster create`, and
 * waits until the cluster state is ok and every replica is in sync. Needs `redis-server` and
 * `redis-cli` on the PATH.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster({ masters: 3, replicas: 1 })
 * const client = new Cluster([...cluster.nodes])
 * await cluster.killMaster(0)     // a crash: its slots fail until…
 * await cluster.waitForFailover() // …its replica serves them
 * client.disconnect()
 * await cluster.close()
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3
  const replicas = options.replicas ?? 0
  if (!Number.isInteger(masters) || masters < 3) throw new TypeError('options.masters must be an integer of at least 3')
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 4) throw new TypeError('options.replicas must be an integer from 0 to 4')
  const servers: TestRedisServer[] = []
  const args = [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', String(nodeTimeoutMs),
    // A replica may always take over, however long its link was down (0: no age limit).
    '--cluster-replica-validity-factor', '0',
  ]
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) servers.push(await startRedisServer({ persistent: false, args }))
    // redis-cli makes the first `masters` addresses masters and gives each its replicas.
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 })
    await waitForClusterOk(servers.map((server) => server.port), masters * (1 + replicas))
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()))
    throw error
  }
  const byPort = new Map(servers.map((server) => [server.port, server]))
  const killed = new Set<number>()
  const initialMasters = new Set<number>()
  let killedAt = 0

  const view = async (): Promise<ClusterNodeLine[]> => {
    for (const server of servers) {
      if (killed.has(server.port)) continue
      try {
        return parseClusterNodes((await cli(server.port, 'cluster', 'nodes')).stdout)
      } catch {
        // that node is not answering: ask the next one
      }
    }
    throw new Error('no node of the redis cluster answers')
  }
  const liveMasters = async () =>
    (await view())
      .filter((node) => node.role === 'master' && !node.failed && !killed.has(node.port) && node.slots.length > 0)
      .sort((a, b) => a.slots[0]![0] - b.slots[0]![0])
  const waitForReplication = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const synced = await Promise.all((await liveMasters()).map((master) => replicasCaughtUp(master.port)))
      if (synced.every(Boolean)) return
      await sleep(50)
    }
    throw new Error('redis cluster replicas did not catch up with their masters')
  }
  for (const master of await liveMasters()) initialMasters.add(master.port)
  if (replicas > 0) await waitForReplication()

  return {
    nodes: [...servers]
      .sort((a, b) => Number(!initialMasters.has(a.port)) - Number(!initialMasters.has(b.port)))
      .map((server) => ({ host: '127.0.0.1', port: server.port })),
    async masters() {
      return (await liveMasters()).map((node) => ({ host: '127.0.0.1', port: node.port }))
    },
    async killMaster(index) {
      const master = (await liveMasters())[index]
      if (!master) throw new RangeError(`the cluster has no live master ${index}`)
      killed.add(master.port)
      killedAt = performance.now()
      await byPort.get(master.port)!.kill()
      return { host: '127.0.0.1', port: master.port }
    },
    async waitForFailover(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const live = servers.filter((server) => !killed.has(server.port)).map((server) => server.port)
        const masters = await liveMasters().catch(() => [])
        const served = masters.reduce((sum, node) => sum + node.slots.reduce((n, [from, to]) => n + to - from + 1, 0), 0)
        if (served === 16384 && (await clusterOk(live))) {
          return { promoted: masters.map((node) => node.port).filter((port) => !initialMasters.has(port)), afterMs: Math.round(performance.now() - killedAt) }
        }
        await sleep(50)
      }
      throw new Error('no replica took over the killed master within the timeout')
    },
    waitForReplication,
    async close() {
      await Promise.all(servers.map((server) => server.close()))
    },
  }
}

function cli(port: number, ...args: string[]) {
  return run('redis-cli', ['-p', String(port), ...args], { timeout: 2_000 })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Whether every replica of the master on `port` has acknowledged the master's whole stream. */
async function replicasCaughtUp(port: number): Promise<boolean> {
  const { stdout } = await cli(port, 'info', 'replication')
  const offset = Number(/master_repl_offset:(\d+)/.exec(stdout)?.[1] ?? Number.NaN)
  const links = [...stdout.matchAll(/^slave\d+:.*state=(\w+).*offset=(\d+)/gm)]
  const expected = Number(/connected_slaves:(\d+)/.exec(stdout)?.[1] ?? 0)
  return links.length === expected && links.every(([, state, acked]) => state === 'online' && Number(acked) === offset)
}

async function clusterOk(ports: readonly number[]): Promise<boolean> {
  const states = await Promise.all(
    ports.map(async (port) => {
      const { stdout } = await cli(port, 'cluster', 'info').catch(() => ({ stdout: '' }))
      return /cluster_state:ok/.test(stdout) && /cluster_slots_assigned:16384/.test(stdout)
    }),
  )
  return states.every(Boolean)
}

async function waitForClusterOk(ports: readonly number[], known: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    // Every node knows every other (the gossip has spread), and the slots are all served.
    const views = await Promise.all(ports.map((port) => cli(port, 'cluster', 'nodes').then(({ stdout }) => parseClusterNodes(stdout), () => [])))
    if (views.every((view) => view.length === known) && (await clusterOk(ports))) return
    await sleep(100)
  }
  throw new Error('redis cluster did not reach cluster_state:ok')
}
