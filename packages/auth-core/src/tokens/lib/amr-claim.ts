/** An RFC 8176 `amr` list as tokens carry it: at most 16 strings of 1 to 32 characters. */
export function isAmr(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= 16 && value.every((entry) => typeof entry === 'string' && entry.length > 0 && entry.length <= 32)
}
