import { describe, expect, it } from 'vitest'
import { randomToken, timingSafeEqual } from './crypto.js'

type Compare = (a: string, b: string) => boolean

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A new flat string with the same characters: neither interned nor sharing storage with `text`. */
const copyOf = (text: string) => Buffer.from(text, 'latin1').toString('latin1')

/** `text` with the character at `index` replaced by a different base64url character. */
const changedAt = (text: string, index: number) =>
  copyOf(text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1))

// 16 KiB: long enough that a compare which stops at the first difference does ~16,000 times less
// work on the first-character case, far above timer resolution once a few calls are timed together.
// `a === b` is such a compare (V8 compares flat strings with memcmp): its ratio measures ~20–40 here,
// an early-exit loop's ~1,000+, the real compare's 0.98–1.02. The real one takes ~120 µs a call
// under vitest, so the test (both measurements, warm-up included) runs in well under a second.
const length = 16 * 1024
const rounds = 101
const callsPerSample = 8

/**
 * Medians of the time to compare a secret against a guess that differs in its first character and
 * against one that differs in its last. Other suites share the 2 cores, so the two cases are
 * interleaved (both see the same load), alternate which goes first, and only medians are compared.
 */
function measure(compare: Compare): { first: number; last: number; ratio: number } {
  const secret = randomToken((length * 3) / 4)
  const reference = copyOf(secret)
  const firstDiffers = changedAt(secret, 0)
  const lastDiffers = changedAt(secret, length - 1)
  let equalCount = 0
  const sample = (guess: string) => {
    const start = performance.now()
    for (let i = 0; i < callsPerSample; i++) if (compare(reference, guess)) equalCount++
    return performance.now() - start
  }
  for (let i = 0; i < 100; i++) sample(i % 2 === 0 ? firstDiffers : lastDiffers) // warm-up: let the JIT settle
  const first: number[] = []
  const last: number[] = []
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      first.push(sample(firstDiffers))
      last.push(sample(lastDiffers))
    } else {
      last.push(sample(lastDiffers))
      first.push(sample(firstDiffers))
    }
  }
  // Uses the results, so no compare can be optimised away, and checks they were right.
  expect(equalCount).toBe(0)
  expect(compare(reference, secret)).toBe(true)
  const [mFirst, mLast] = [median(first), median(last)]
  return { first: mFirst, last: mLast, ratio: mLast / mFirst }
}

/** The compare a constant-time one must not resemble: it returns at the first difference. */
const earlyExit: Compare = (a, b) => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false
  return true
}

const describeRatio = (name: string, { first, last, ratio }: ReturnType<typeof measure>) =>
  `${name}: first differs ${(first * 1000).toFixed(1)} µs, last differs ${(last * 1000).toFixed(1)} µs, ratio ${ratio.toFixed(2)}`

describe('timingSafeEqual timing', () => {
  it(
    'takes as long when the first character differs as when the last does (medians within 1.5×), and an early-exit compare would be caught',
    { retry: 2, timeout: 10_000 },
    () => {
      const real = measure(timingSafeEqual)
      const control = measure(earlyExit)
      console.log(
        `timingSafeEqual over ${rounds} interleaved rounds of ${callsPerSample} calls on ${length}-character strings — ` +
          `${describeRatio('real', real)}; ${describeRatio('early exit', control)}`,
      )
      // Either way round: a compare that scans from the end and stops early is just as leaky.
      expect(Math.max(real.ratio, 1 / real.ratio)).toBeLessThan(1.5)
      // The measurement does see a compare that stops at the first difference.
      expect(control.ratio).toBeGreaterThan(5)
    },
  )
})
