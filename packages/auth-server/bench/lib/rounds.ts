// Paired, interleaved rounds of autocannon runs. Each ratio is measured as a block of four slices,
// A B B A (numerator, denominator, denominator, numerator), so both sides run within seconds of
// each other and a linear drift of the machine's speed cancels out; the round's ratio is
// (A₁ + A₂) ÷ (B₁ + B₂). Every round runs every block, in an order that rotates by one per round;
// a correctness gate precedes each block, and the rounds' ratios are summarised as the median with
// min–max. On this kind of host (two shared cores whose speed moves by ±15 % within a minute),
// measuring each scenario once per round let a ratio's two sides run a minute apart, and one
// round's ratio swung by ±25 %.
import { benchSettings, machine, machineBusyPercent, rotation, spread, type BenchSettings, type MachineInfo, type Spread } from '@acme/tooling/bench'
import autocannon from 'autocannon'

export interface Scenario<Name extends string = string> {
  name: Name
  url: string
  /** What the authenticated request must answer (200 and this check on the body). */
  body: (text: string) => boolean
  /** Whether a request without the Cookie header must be refused with 401 (false for unauthenticated baselines). */
  refusesAnonymous: boolean
}

export interface Sample {
  round: number
  /** The ratio block (numerator ÷ denominator) this slice belonged to. */
  block: string
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  requests: number
}

export interface RatioGoal<Name extends string = string> {
  name: string
  numerator: Name
  denominator: Name
  /** What is divided. @default 'requestsPerSecond' */
  metric?: 'requestsPerSecond' | 'p99Ms'
  /** The ratio must be at least this (`'at-least'`, the default) or at most it (omit for an informative ratio). */
  goal?: number
  comparison?: 'at-least' | 'at-most'
}

export interface RatioResult extends Spread {
  name: string
  numerator: string
  denominator: string
  metric: 'requestsPerSecond' | 'p99Ms'
  comparison: 'at-least' | 'at-most'
  goal: number | undefined
  met: boolean | undefined
}

export interface ScenarioSummary {
  scenario: string
  requestsPerSecond: Spread
  p50Ms: Spread
  p99Ms: Spread
  samples: Sample[]
}

export interface RoundsResult {
  method: BenchSettings & { order: string; loadGenerator: string; cookieHeaderBytes: number }
  machineBefore: MachineInfo
  machineAfter: MachineInfo
  /** CPU used by other processes (percent of all cores) in a second before the first round, while the bench idled. */
  othersBusyPercentBefore: number | undefined
  scenarios: ScenarioSummary[]
  ratios: RatioResult[]
  /** One row per scenario with the medians, for quick reading. */
  rows: Array<{ scenario: string; requestsPerSecond: number; p50Ms: number; p99Ms: number }>
}

/** Fails the bench loudly unless the scenario authenticates with `cookie` and refuses without it. */
export async function gate(scenario: Scenario, cookie: string): Promise<void> {
  const signedIn = await fetch(scenario.url, { headers: { cookie } })
  const text = await signedIn.text()
  if (signedIn.status !== 200 || !scenario.body(text)) {
    throw new Error(`gate: ${scenario.name} answered ${signedIn.status} ${text.slice(0, 200)} to the authenticated request (expected 200 with the user)`)
  }
  if (scenario.refusesAnonymous) {
    const anonymous = await fetch(scenario.url)
    await anonymous.arrayBuffer()
    if (anonymous.status !== 401) throw new Error(`gate: ${scenario.name} answered ${anonymous.status} without the cookie (expected 401)`)
  }
}

/** One autocannon run; throws when any response was not 2xx or any request failed. */
export async function load(scenario: Scenario, cookie: string, seconds: number, connections: number): Promise<Omit<Sample, 'round' | 'block'>> {
  const result = await autocannon({ url: scenario.url, headers: { cookie }, connections, duration: seconds })
  const failures = result.non2xx + result.errors + result.timeouts
  if (failures > 0) {
    throw new Error(`${scenario.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total} requests`)
  }
  return {
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  }
}

/**
 * Runs `settings.rounds` rounds of paired blocks, one per distinct numerator ÷ denominator pair of
 * `ratios` (a pair's req/s and p99 ratios come from the same slices). `cookieFor(round)` gives the
 * one Cookie header every scenario of that round carries. Each scenario is warmed up once, before
 * the first round and again, unmeasured, before each slice; each side of a block gets
 * `settings.durationSeconds` measured per round, in two slices.
 */
export async function runRounds<Name extends string>(
  title: string,
  scenarios: ReadonlyArray<Scenario<Name>>,
  ratios: ReadonlyArray<RatioGoal<Name>>,
  cookieFor: (round: number) => Promise<string>,
  settings: BenchSettings = benchSettings(),
): Promise<RoundsResult> {
  const machineBefore = machine()
  const othersBusyPercentBefore = await machineBusyPercent()
  const byName = new Map(scenarios.map((s) => [s.name, s]))
  const samples = new Map<Name, Sample[]>(scenarios.map((s) => [s.name, []]))
  const blocks = [...new Map(ratios.map((r) => [`${r.numerator} ÷ ${r.denominator}`, [r.numerator, r.denominator] as const])).entries()]
  for (const [, pair] of blocks) for (const name of pair) if (!byName.has(name)) throw new Error(`ratio over unknown scenario ${name}`)
  /** Per block and round: the numerator's and the denominator's two slices. */
  const slices = new Map(blocks.map(([key]) => [key, [] as Array<{ top: Sample[]; bottom: Sample[] }>]))
  const slice = settings.durationSeconds / 2
  let cookieHeaderBytes = 0
  const planned = scenarios.length * settings.warmupSeconds * 3 + settings.rounds * blocks.length * 4 * (settings.warmupSeconds + slice)
  console.log(`\n## ${title}: ${settings.rounds} rounds × ${blocks.length} paired blocks (A B B A; each slice ${settings.warmupSeconds} s warm-up + ${slice} s), about ${Math.ceil(planned / 60)} min`)
  if (settings.quick) console.log('   BENCH_QUICK: a smoke run of the harness, not a measurement')
  if ((othersBusyPercentBefore ?? 0) > 15) console.warn(`   the machine is busy: other processes use ${othersBusyPercentBefore} % of the CPUs`)

  for (let round = 0; round < settings.rounds; round++) {
    const cookie = await cookieFor(round)
    cookieHeaderBytes = Buffer.byteLength(cookie)
    if (round === 0) {
      for (const scenario of scenarios) {
        await gate(scenario, cookie)
        await load(scenario, cookie, settings.warmupSeconds * 3, settings.connections)
      }
    }
    const line: string[] = []
    for (const [key, [numerator, denominator]] of rotation(blocks, round)) {
      const top = byName.get(numerator)!
      const bottom = byName.get(denominator)!
      await gate(top, cookie)
      await gate(bottom, cookie)
      const taken: Record<'top' | 'bottom', Sample[]> = { top: [], bottom: [] }
      for (const [side, scenario] of [['top', top], ['bottom', bottom], ['bottom', bottom], ['top', top]] as const) {
        // Every slice, unmeasured first: a server that idled runs its first second or two 20–35 %
        // slower (measured here without it: second slices beat first ones by a median 1.19–1.35 ×).
        await load(scenario, cookie, settings.warmupSeconds, settings.connections)
        const sample = { round, block: key, ...(await load(scenario, cookie, slice, settings.connections)) }
        taken[side].push(sample)
        samples.get(scenario.name)!.push(sample)
      }
      slices.get(key)!.push(taken)
      const sum = (list: Sample[]) => list.reduce((total, s) => total + s.requestsPerSecond, 0)
      line.push(`${key} ${(sum(taken.top) / sum(taken.bottom)).toFixed(2)}`)
    }
    console.log(`   round ${round + 1}/${settings.rounds}: ${line.join(', ')}`)
  }

  const summaries: ScenarioSummary[] = scenarios.map(({ name }) => {
    const own = samples.get(name)!
    return {
      scenario: name,
      requestsPerSecond: spread(own.map((s) => s.requestsPerSecond)),
      p50Ms: spread(own.map((s) => s.p50Ms)),
      p99Ms: spread(own.map((s) => s.p99Ms)),
      samples: own,
    }
  })
  const ratioResults = ratios.map((ratio): RatioResult => {
    const metric = ratio.metric ?? 'requestsPerSecond'
    const comparison = ratio.comparison ?? 'at-least'
    // p99 is in whole milliseconds and can be 0 on loopback: count 0 as 1 ms rather than divide by 0.
    const value = (sample: Sample) => (metric === 'p99Ms' ? Math.max(1, sample.p99Ms) : sample.requestsPerSecond)
    const sum = (list: Sample[]) => list.reduce((total, sample) => total + value(sample), 0)
    const perRound = slices.get(`${ratio.numerator} ÷ ${ratio.denominator}`)!.map(({ top, bottom }) => Number((sum(top) / sum(bottom)).toFixed(3)))
    const summary = spread(perRound)
    const met = ratio.goal === undefined ? undefined : comparison === 'at-least' ? summary.median >= ratio.goal : summary.median <= ratio.goal
    return { name: ratio.name, numerator: ratio.numerator, denominator: ratio.denominator, metric, comparison, goal: ratio.goal, ...summary, met }
  })

  console.table(
    summaries.map((s) => ({
      scenario: s.scenario,
      'req/s median': s.requestsPerSecond.median,
      'req/s min–max': `${s.requestsPerSecond.min}–${s.requestsPerSecond.max}`,
      'p50 ms': s.p50Ms.median,
      'p99 ms': s.p99Ms.median,
    })),
  )
  console.table(
    ratioResults.map((r) => ({
      ratio: r.name,
      median: r.median.toFixed(3),
      'min–max': `${r.min.toFixed(3)}–${r.max.toFixed(3)}`,
      goal: r.goal === undefined ? '' : `${r.comparison === 'at-least' ? '>=' : '<='} ${r.goal}`,
      '': r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
    })),
  )

  return {
    method: { ...settings, order: 'paired blocks (A B B A) per ratio, the block order rotating one place per round', loadGenerator: `autocannon, ${settings.connections} connections, in the bench process`, cookieHeaderBytes },
    machineBefore,
    machineAfter: machine(),
    othersBusyPercentBefore,
    scenarios: summaries,
    ratios: ratioResults,
    rows: summaries.map((s) => ({ scenario: s.scenario, requestsPerSecond: s.requestsPerSecond.median, p50Ms: s.p50Ms.median, p99Ms: s.p99Ms.median })),
  }
}
