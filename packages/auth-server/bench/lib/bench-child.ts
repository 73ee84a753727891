// The child side of bench/lib/server-process.ts: listen, print READY, answer IPC questions. Besides
// the server's own answers (`cookie`), every child answers the profiler's: `mark` (the monotonic
// clock in µs, the clock of --cpu-prof's timestamps), `alloc-start` and `alloc-stop` (bytes
// allocated in between, from v8.GCProfiler: what each GC found used minus what the one before left).
import { createServer, type RequestListener, type Server } from 'node:http'
import { GCProfiler } from 'node:v8'

export type Answers = Record<string, () => unknown>

export interface Allocations {
  allocatedBytes: number
  gcs: number
  byType: Record<string, number>
}

function allocationAnswers(): Answers {
  let profiler: GCProfiler | undefined
  let startUsed = 0
  return {
    'alloc-start': () => {
      profiler = new GCProfiler()
      startUsed = process.memoryUsage().heapUsed
      profiler.start()
      return true
    },
    'alloc-stop': (): Allocations => {
      const result = profiler!.stop()
      const endUsed = process.memoryUsage().heapUsed
      let allocatedBytes = 0
      let previous = startUsed
      const byType: Record<string, number> = {}
      for (const gc of result.statistics) {
        allocatedBytes += gc.beforeGC.heapStatistics.usedHeapSize - previous
        previous = gc.afterGC.heapStatistics.usedHeapSize
        byType[gc.gcType] = (byType[gc.gcType] ?? 0) + 1
      }
      allocatedBytes += endUsed - previous
      return { allocatedBytes, gcs: result.statistics.length, byType }
    },
    mark: () => Number(process.hrtime.bigint() / 1000n),
  }
}

/** Serves `handler` on a free loopback port, prints `READY <port>`, answers the parent's IPC messages. */
export function serveBench(handler: RequestListener, answers: Answers, onStop: () => Promise<void> = () => Promise.resolve()): Server {
  const server = createServer(handler)
  const all: Answers = { ...allocationAnswers(), ...answers }
  process.on('message', (message: string) => {
    const answer = all[message]
    void Promise.resolve(answer ? answer() : undefined).then((value) => process.send?.({ answer: message, value }))
  })
  server.listen(0, '127.0.0.1', () => console.log(`READY ${(server.address() as { port: number }).port}`))
  process.on('SIGTERM', () => {
    server.close()
    // process.exit() (not a signal death) so --cpu-prof writes its profile.
    void onStop().finally(() => process.exit(0))
  })
  // The parent went away (a crashed bench): do not linger.
  process.on('disconnect', () => process.exit(0))
  return server
}
