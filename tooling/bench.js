// Shared pieces of the benchmarks.
//
// runBenchFolder runs every <dir>/*.bench.ts in name order, one after the other, and keeps what each
// one returns in <dir>/results/<name>.json for tooling/bench-report.mjs. BENCH_ONLY=<prefix> runs a
// subset. A bench returns either its rows or `{ rows, ...anything else the report reads }`.
//
// The rest is the method of the load benchmarks: the bench process (the load generator) pins itself
// to core 0, the server under test runs on core 1, rounds interleave the scenarios, and ratios are
// computed within a round, then summarised as median with min–max.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { pathToFileURL } from 'node:url'

/** @param {string} dir the bench folder, ending with a slash */
export async function runBenchFolder(dir) {
  const only = process.env.BENCH_ONLY
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.bench.ts') && (only === undefined || file.startsWith(only)))
    .sort()
  mkdirSync(`${dir}results`, { recursive: true })
  for (const file of files) {
    const module = await import(pathToFileURL(`${dir}${file}`).href)
    const output = await module.default()
    const body = Array.isArray(output) ? { rows: output } : output
    writeFileSync(`${dir}results/${file.replace('.bench.ts', '.json')}`, JSON.stringify({ bench: file, at: new Date().toISOString(), ...body }, null, 2))
  }
}

/** `BENCH_QUICK=1`: a smoke run (2 rounds × 2 s) that checks the harness, not a measurement. */
export function benchSettings() {
  const quick = process.env.BENCH_QUICK === '1'
  const number = (name, fallback) => {
    const raw = process.env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`)
    return value
  }
  return Object.freeze({
    quick,
    rounds: number('BENCH_ROUNDS', quick ? 2 : 5),
    durationSeconds: number('BENCH_DURATION', quick ? 2 : 3),
    warmupSeconds: number('BENCH_WARMUP', 1),
    connections: number('BENCH_CONNECTIONS', 20),
  })
}

let pinning
/**
 * Pins this process (every thread; children inherit it) to `core` with `taskset`, once. Returns
 * whether the server cores are pinned: false on machines without `taskset` or with one core.
 * @param {number} core
 */
export function pinLoadGenerator(core = 0) {
  if (pinning !== undefined) return pinning.pinned
  pinning = { pinned: false, loadGeneratorCore: undefined, serverCore: undefined }
  if (cpus().length < 2) return false
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' })
    pinning = { pinned: true, loadGeneratorCore: core, serverCore: core === 0 ? 1 : 0 }
  } catch {
    console.warn('bench: taskset is not available; load generator and servers run unpinned')
  }
  return pinning.pinned
}

/**
 * The command that runs `argv` on the server core (`taskset -c 1 …`) when pinning is on.
 * @param {readonly string[]} argv
 * @returns {[string, string[]]}
 */
export function onServerCore(argv) {
  pinLoadGenerator()
  const [command, ...args] = argv
  return pinning.pinned ? ['taskset', ['-c', String(pinning.serverCore), command, ...args]] : [command, args]
}

const cpuTimes = () => {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const idle = fields[3] + (fields[4] ?? 0) // idle + iowait
  return { idle, total: fields.reduce((a, b) => a + b, 0) }
}

/**
 * How busy the whole machine is over the next `ms`, in percent of all cores (Linux /proc/stat;
 * undefined elsewhere). Taken while the bench's own servers idle, it is what *others* use.
 */
export async function machineBusyPercent(ms = 1000) {
  if (!existsSync('/proc/stat')) return undefined
  const before = cpuTimes()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = cpuTimes()
  const total = after.total - before.total
  return total > 0 ? Math.round((100 * (total - (after.idle - before.idle))) / total) : undefined
}

/** The machine and the pinning, for the result files. */
export function machine() {
  pinLoadGenerator()
  return {
    cores: cpus().length,
    coresThisProcessMayUse: availableParallelism(),
    cpu: cpus()[0]?.model?.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
    pinned: pinning.pinned,
    loadGeneratorCore: pinning.loadGeneratorCore,
    serverCore: pinning.serverCore,
  }
}

/** @param {readonly number[]} values */
export function spread(values) {
  if (values.length === 0) throw new Error('spread() of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values: [...values] }
}

/**
 * Round `round`'s order: the scenarios rotated by `round`, so each one runs early and late.
 * @template T
 * @param {readonly T[]} scenarios
 * @param {number} round
 * @returns {T[]}
 */
export function rotation(scenarios, round) {
  const shift = round % scenarios.length
  return [...scenarios.slice(shift), ...scenarios.slice(0, shift)]
}
