import type { Clock } from '../../clock.js'
import { optionalNumber } from '../../lib/options.js'
import { isSigningAlgorithm, SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../keys/signing-key.js'

/** What every verifier checks, resolved once. */
export interface VerifyPolicy {
  issuer: string
  audience: readonly string[]
  algorithms: readonly SigningAlgorithm[]
  clockToleranceSeconds: number
  clock: Clock
}

export function requireNonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${path} must be a non-empty string`)
  return value
}

/** Validates the shared verifier options (issuer, audience, algorithms, clock tolerance). */
export function resolveVerifyPolicy(input: Record<string, unknown>, clock: Clock): Readonly<VerifyPolicy> {
  const issuer = requireNonEmptyString(input.issuer, 'options.issuer')
  const audienceInput = typeof input.audience === 'string' ? [input.audience] : input.audience
  if (!Array.isArray(audienceInput) || audienceInput.length === 0) {
    throw new TypeError('options.audience must be a non-empty string or a non-empty list of strings')
  }
  const audience = audienceInput.map((value: unknown, index) => requireNonEmptyString(value, `options.audience[${index}]`))
  const algorithmsInput = input.algorithms ?? SIGNING_ALGORITHMS
  if (!Array.isArray(algorithmsInput) || algorithmsInput.length === 0) {
    throw new TypeError('options.algorithms must be a non-empty list')
  }
  // Asymmetric only: `none` and HS* with a public key are the classic JWT forgeries.
  algorithmsInput.forEach((alg: unknown, index) => {
    if (!isSigningAlgorithm(alg)) throw new TypeError(`options.algorithms[${index}] must be one of ${SIGNING_ALGORITHMS.join(', ')}`)
  })
  const clockToleranceSeconds = optionalNumber(input.clockToleranceSeconds, 'options.clockToleranceSeconds', 30, { min: 0, max: 300 })
  return Object.freeze({
    issuer,
    audience: Object.freeze(audience),
    algorithms: Object.freeze([...(algorithmsInput as SigningAlgorithm[])]),
    clockToleranceSeconds,
    clock,
  })
}
