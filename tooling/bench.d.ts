/** Runs every `<dir>/*.bench.ts` in name order and keeps what each returns in `<dir>/results/`. */
export function runBenchFolder(dir: string): Promise<void>

/** Rounds, seconds per measurement, warm-up seconds and connections, from `BENCH_*` (see benchmarks.md). */
export interface BenchSettings {
  readonly quick: boolean
  readonly rounds: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
}
export function benchSettings(): BenchSettings

/** Pins this process (the load generator) to `core`; false when unpinned (no taskset, one core). */
export function pinLoadGenerator(core?: number): boolean

/** `[command, args]` that runs `argv` on the server core when pinning is on. */
export function onServerCore(argv: readonly string[]): [string, string[]]

export interface MachineInfo {
  cores: number
  /** After pinning: 1. */
  coresThisProcessMayUse: number
  cpu: string
  memoryGiB: number
  node: string
  platform: string
  loadAverage: number[]
  pinned: boolean
  loadGeneratorCore: number | undefined
  serverCore: number | undefined
}
export function machine(): MachineInfo

/** Percent of all cores busy over the next `ms` (Linux), while the bench itself idles: what others use. */
export function machineBusyPercent(ms?: number): Promise<number | undefined>

export interface Spread {
  median: number
  min: number
  max: number
  values: number[]
}
export function spread(values: readonly number[]): Spread

/** The scenarios rotated by `round`. */
export function rotation<T>(scenarios: readonly T[], round: number): T[]
