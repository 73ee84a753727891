// req/s and p50/p99 through the BFF (session check, minted Bearer token, proxy), through
// http-proxy-middleware with a keep-alive agent, and direct to the upstream, in interleaved rounds
// against the same upstream. The upstream runs beside the load generator, each proxy on the server core.
import { pinLoadGenerator } from '@acme/tooling/bench'
import { fileURLToPath } from 'node:url'
import { runRounds, type RatioGoal, type RoundsResult, type Scenario } from './lib/rounds.js'
import { startServer, type ServerProcess } from './lib/server-process.js'

const here = fileURLToPath(new URL('.', import.meta.url))
type ProxyScenario = 'direct' | 'bff' | 'http-proxy-middleware'

export const bffRatios: ReadonlyArray<RatioGoal<ProxyScenario>> = [
  { name: 'BFF ÷ http-proxy-middleware (keep-alive), req/s', numerator: 'bff', denominator: 'http-proxy-middleware', goal: 1.5 },
  { name: 'BFF p99 ÷ http-proxy-middleware p99 (no worse)', numerator: 'bff', denominator: 'http-proxy-middleware', metric: 'p99Ms', goal: 1, comparison: 'at-most' },
  { name: 'BFF ÷ direct to the upstream', numerator: 'bff', denominator: 'direct' },
]

const upstreamBody = JSON.stringify({ notes: [{ id: 1, title: 'hello' }] })

export default async function bffBench(): Promise<RoundsResult> {
  pinLoadGenerator()
  const started: ServerProcess[] = []
  const start = async (role: string, args: string[], core: 'server' | 'load-generator') => {
    const server = await startServer(role, `${here}bff-servers.ts`, [role, ...args], { core })
    started.push(server)
    return server
  }
  try {
    const upstream = await start('upstream', [], 'load-generator')
    const upstreamUrl = `http://127.0.0.1:${upstream.port}`
    const bff = await start('bff', [upstreamUrl], 'server')
    const hpm = await start('hpm', [upstreamUrl], 'server')
    const sameBody = (text: string) => text === upstreamBody
    const scenarios: Array<Scenario<ProxyScenario>> = [
      { name: 'direct', url: `${upstreamUrl}/notes`, body: sameBody, refusesAnonymous: false },
      { name: 'bff', url: `http://127.0.0.1:${bff.port}/api/notes`, body: sameBody, refusesAnonymous: true },
      { name: 'http-proxy-middleware', url: `http://127.0.0.1:${hpm.port}/api/notes`, body: sameBody, refusesAnonymous: false },
    ]
    // Every scenario carries the BFF's session cookie (the others pass it through or ignore it).
    return await runRounds('BFF proxy', scenarios, bffRatios, () => bff.cookie())
  } finally {
    await Promise.all(started.map((server) => server.stop()))
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bffBench()
