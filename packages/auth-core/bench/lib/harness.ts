// Tiny wrapper over tinybench so every benchmark prints the same table and can be collected.
import { Bench, type BenchOptions } from 'tinybench'

export interface BenchRow {
  name: string
  opsPerSecond: number
  meanMs: number
  p99Ms: number
  samples: number
}

/** Runs the tasks and prints one table; returns the rows for reports. */
export async function runBench(
  title: string,
  tasks: Record<string, () => unknown>,
  options: BenchOptions = { time: 1_000, warmupTime: 200 },
): Promise<BenchRow[]> {
  // BENCH_QUICK=1: a smoke run of the harness (a fifth of the time), not a measurement.
  const quick = process.env.BENCH_QUICK === '1'
  const bench = new Bench(quick ? { ...options, time: (options.time ?? 1_000) / 5, warmupTime: (options.warmupTime ?? 200) / 5, ...(options.iterations ? { iterations: 2 } : {}) } : options)
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn)
  await bench.run()
  const rows = bench.tasks.map((task): BenchRow => {
    const result = task.result
    const latency = result && 'latency' in result ? result.latency : undefined
    const throughput = result && 'throughput' in result ? result.throughput : undefined
    return {
      name: task.name,
      opsPerSecond: Math.round(throughput?.mean ?? 0),
      meanMs: Number((latency?.mean ?? 0).toFixed(4)),
      p99Ms: Number((latency?.p99 ?? 0).toFixed(4)),
      samples: latency?.samplesCount ?? 0,
    }
  })
  console.log(`\n## ${title}`)
  console.table(rows)
  return rows
}

export interface RoundsRow extends BenchRow {
  rounds: number
  /** Each round's mean latency, in the order of the rounds. */
  meanMsPerRound: number[]
  meanMsMin: number
  meanMsMax: number
}

/**
 * Interleaved rounds: every task runs `rounds` times for `time` ms, the order rotating by one each
 * round, so a size measured right after a fill (the garbage collector, the store settling) or a
 * moment the machine was busy hits one round, not one task. Rows give the medians of the rounds
 * (ops/s, mean, p99) and the rounds' min–max of the mean.
 */
export async function runRounds(
  title: string,
  tasks: Record<string, () => unknown>,
  { rounds = 5, time = 400, warmupTime = 100 }: { rounds?: number; time?: number; warmupTime?: number } = {},
): Promise<RoundsRow[]> {
  const quick = process.env.BENCH_QUICK === '1'
  const names = Object.keys(tasks)
  const count = quick ? 2 : rounds
  const perTask = new Map<string, BenchRow[]>(names.map((name) => [name, []]))
  for (let round = 0; round < count; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!)
    for (const name of order) {
      const bench = new Bench({ time: quick ? time / 5 : time, warmupTime: quick ? warmupTime / 5 : warmupTime })
      bench.add(name, tasks[name]!)
      await bench.run()
      const result = bench.tasks[0]!.result
      const latency = result && 'latency' in result ? result.latency : undefined
      const throughput = result && 'throughput' in result ? result.throughput : undefined
      perTask.get(name)!.push({ name, opsPerSecond: throughput?.mean ?? 0, meanMs: latency?.mean ?? 0, p99Ms: latency?.p99 ?? 0, samples: latency?.samplesCount ?? 0 })
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    const middle = Math.floor(sorted.length / 2)
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  }
  const rows = names.map((name): RoundsRow => {
    const runs = perTask.get(name)!
    const means = runs.map((run) => Number(run.meanMs.toFixed(4)))
    return {
      name,
      opsPerSecond: Math.round(median(runs.map((run) => run.opsPerSecond))),
      meanMs: Number(median(runs.map((run) => run.meanMs)).toFixed(4)),
      p99Ms: Number(median(runs.map((run) => run.p99Ms)).toFixed(4)),
      samples: runs.reduce((total, run) => total + run.samples, 0),
      rounds: count,
      meanMsPerRound: means,
      meanMsMin: Math.min(...means),
      meanMsMax: Math.max(...means),
    }
  })
  console.log(`\n## ${title} (${count} interleaved rounds, medians)`)
  console.table(rows.map(({ meanMsPerRound: _, ...row }) => row))
  return rows
}
