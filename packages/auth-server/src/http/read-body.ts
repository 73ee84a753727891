import { problem } from '../errors/problem.js'
import { ProblemError, badRequest } from '../errors/problem-error.js'
import type { Exchange } from './exchange.js'

const tooLarge = () => new ProblemError(problem(413, 'payload-too-large', 'Payload Too Large'))
const unsupported = () => new ProblemError(problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send application/json.'))

/** The media type of the request, lower-case, without parameters. */
export function mediaType(ex: Exchange): string {
  return (ex.header('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
}

/**
 * Reads and parses the body of an unsafe request once (it lands on `ex.body`): JSON objects and
 * arrays only (`strict`), or, where `form` allows it, `application/x-www-form-urlencoded`. A body
 * of another type is 415 and never read; malformed is 400; past `limitBytes` is 413.
 */
export async function parseBody(ex: Exchange, options: { limitBytes: number; form: boolean }): Promise<unknown> {
  if (!ex.hasBody()) return (ex.body = undefined)
  const type = mediaType(ex)
  const isJson = type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))
  const isForm = options.form && type === 'application/x-www-form-urlencoded'
  if (!isJson && !isForm) throw unsupported()
  if (Number(ex.header('content-length') ?? 0) > options.limitBytes) throw tooLarge()
  const raw = await ex.readBody(options.limitBytes)
  if (raw === undefined) return (ex.body = undefined)
  if ('parsed' in raw) return (ex.body = raw.parsed)
  if (raw.text.length === 0) return (ex.body = undefined)
  return (ex.body = isJson ? parseJson(raw.text) : parseForm(raw.text))
}

function parseJson(text: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badRequest('The body is not valid JSON.')
  }
  if (typeof value !== 'object' || value === null) throw badRequest('The body must be a JSON object.')
  return value
}

function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = out[key]
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]
  }
  return out
}

export { tooLarge }
