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
