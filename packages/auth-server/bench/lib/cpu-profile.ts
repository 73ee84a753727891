// Summarises a V8 .cpuprofile (from --cpu-prof) over a time window: self time per function and
// per group (express, node internals, acme, ioredis, …), idle excluded.

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
}
export interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface FunctionTime {
  name: string
  where: string
  group: string
  selfPercent: number
}

export interface ProfileSummary {
  /** Busy (non-idle) time in the window, ms. */
  busyMs: number
  /** Share of busy time per group, percent. */
  groups: Record<string, number>
  top: FunctionTime[]
}

const expressFamily = new Set([
  'express', 'router', 'body-parser', 'finalhandler', 'send', 'serve-static', 'cookie', 'cookie-signature', 'qs',
  'on-finished', 'on-headers', 'statuses', 'type-is', 'content-type', 'accepts', 'negotiator', 'mime-types', 'mime-db',
  'proxy-addr', 'forwarded', 'parseurl', 'encodeurl', 'escape-html', 'etag', 'fresh', 'range-parser', 'vary', 'depd',
  'debug', 'ms', 'merge-descriptors', 'http-errors', 'setprototypeof', 'inherits', 'toidentifier', 'media-typer',
  'content-disposition', 'safe-buffer', 'ee-first', 'unpipe', 'path-to-regexp', 'is-promise', 'once', 'wrappy',
])
const ioredisFamily = new Set(['ioredis', 'redis-parser', 'redis-errors', 'denque', 'cluster-key-slot', 'standard-as-callback', 'lodash.defaults', 'lodash.isarguments'])

/** The package a script URL belongs to (`express`, `@scope/name`), or undefined outside node_modules. */
function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/')
  if (at < 0) return undefined
  const parts = url.slice(at + '/node_modules/'.length).split('/')
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
}

export function groupOf(frame: CallFrame): string {
  const { url, functionName } = frame
  if (url === '') {
    if (functionName === '(garbage collector)') return 'gc'
    if (functionName === '(program)') return 'v8 (program)'
    return 'node internals' // native builtins without a script
  }
  if (url.startsWith('node:')) return 'node internals'
  const pkg = packageOf(url)
  if (pkg !== undefined) {
    if (expressFamily.has(pkg)) return 'express'
    if (ioredisFamily.has(pkg)) return 'ioredis'
    if (pkg.startsWith('@acme/')) return 'acme'
    return pkg
  }
  // The bench servers run our packages' build (dist); a test run may load their sources.
  if (/\/packages\/auth-[a-z]+\/(?:src|dist)\//.test(url)) return 'acme'
  if (url.includes('/bench/')) return 'bench app'
  return 'other'
}

function whereOf(frame: CallFrame): string {
  const { url } = frame
  if (url === '') return 'native'
  if (url.startsWith('node:')) return `${url}:${frame.lineNumber + 1}`
  const pkg = packageOf(url)
  const tail = url.split('/').slice(-1)[0]
  if (pkg !== undefined) return `${pkg}/${tail}:${frame.lineNumber + 1}`
  // Our built packages: the file in dist with its line.
  const built = /\/packages\/(auth-[a-z]+\/dist\/.*)$/.exec(url)
  if (built) return `${built[1]!}:${frame.lineNumber + 1}`
  // Our .ts files run transpiled by tsx: their line numbers are the emitted code's, so leave them out.
  const src = /\/packages\/(auth-[a-z]+\/(?:src|bench)\/.*)$/.exec(url)
  return src ? src[1]! : `${tail}:${frame.lineNumber + 1}`
}

/** Self time per function over [fromUs, toUs] (profile clock, µs), idle excluded. */
export function summariseProfile(profile: CpuProfile, fromUs: number, toUs: number, topCount = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, { frame: CallFrame; us: number }>()
  let busy = 0
  let time = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i]!
    // A sample stands for the time until the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0
    if (time < fromUs || time > toUs || weight <= 0) continue
    const frame = byId.get(profile.samples[i]!)!.callFrame
    if (frame.functionName === '(idle)' || frame.functionName === '(root)') continue
    busy += weight
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`
    const entry = self.get(key) ?? { frame, us: 0 }
    entry.us += weight
    self.set(key, entry)
  }
  const groups: Record<string, number> = {}
  for (const { frame, us } of self.values()) groups[groupOf(frame)] = (groups[groupOf(frame)] ?? 0) + us
  const percent = (us: number) => Number(((100 * us) / Math.max(1, busy)).toFixed(2))
  return {
    busyMs: Math.round(busy / 1000),
    groups: Object.fromEntries(Object.entries(groups).sort((a, b) => b[1] - a[1]).map(([group, us]) => [group, percent(us)])),
    top: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topCount)
      .map(({ frame, us }) => ({ name: frame.functionName || '(anonymous)', where: whereOf(frame), group: groupOf(frame), selfPercent: percent(us) })),
  }
}
