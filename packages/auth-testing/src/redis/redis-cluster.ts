import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { startRedisServer, type TestRedisServer } from './redis-server.js'

const run = promisify(execFile)

/** A Redis Cluster of masters that a test started on its own loopback ports. */
export interface TestRedisCluster {
  readonly nodes: readonly { host: string; port: number }[]
  /** Stops every node and deletes their data. */
  close(): Promise<void>
}

/**
 * Starts `masters` cluster-enabled `redis-server` processes on free ports, joins them with
 * `redis-cli --cluster create`, and waits until the cluster state is ok. Needs `redis-server` and
 * `redis-cli` on the PATH.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster()
 * const client = new Cluster([...cluster.nodes])
 * // …
 * client.disconnect()
 * await cluster.close()
 * ```
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3
  const servers: TestRedisServer[] = []
  try {
    for (let i = 0; i < masters; i++) {
      servers.push(
        await startRedisServer({
          persistent: false,
          args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'],
        }),
      )
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 })
    await waitForClusterOk(servers.map((server) => server.port))
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()))
    throw error
  }
  return {
    nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    async close() {
      await Promise.all(servers.map((server) => server.close()))
    },
  }
}

async function waitForClusterOk(ports: readonly number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const states = await Promise.all(
      ports.map(async (port) => {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info'])
        return /cluster_state:ok/.test(stdout) && /cluster_slots_assigned:16384/.test(stdout)
      }),
    )
    if (states.every(Boolean)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('redis cluster did not reach cluster_state:ok')
}
