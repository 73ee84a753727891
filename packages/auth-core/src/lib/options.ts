// Option checks for factories: each throws a TypeError that names the option path, once, at
// construction (STYLE.md: caller mistakes are TypeErrors, not AuthErrors).

export function optionalNumber(
  value: unknown,
  path: string,
  fallback: number,
  range: { min: number; max: number; integer?: boolean },
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value))) {
    throw new TypeError(`${path} must be a finite ${range.integer === true ? 'integer' : 'number'}`)
  }
  if (value < range.min || value > range.max) {
    throw new TypeError(`${path} must be between ${range.min} and ${range.max}, got ${value}`)
  }
  return value
}

export function requireObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${path} must be an object`)
  }
  return value as Record<string, unknown>
}

export function requireMethods<T>(value: unknown, path: string, methods: readonly string[]): T {
  const object = requireObject(value, path)
  for (const method of methods) {
    if (typeof object[method] !== 'function') throw new TypeError(`${path}.${method} must be a function`)
  }
  return value as T
}
