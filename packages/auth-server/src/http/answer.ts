import type { Readable } from 'node:stream'

/** What to send for a request: every adapter writes it the way its framework does. */
export interface Answer {
  status: number
  /** Headers besides `Set-Cookie` (those are written on the exchange). */
  headers?: Record<string, string>
  /** A JSON body (with `type`, default `application/json`), a stream, or nothing. */
  body?: { json: unknown; type?: string } | { stream: Readable }
}

export const json = (value: unknown, status = 200, type?: string): Answer => ({
  status,
  body: type === undefined ? { json: value } : { json: value, type },
})

export const empty = (status: number, headers?: Record<string, string>): Answer => (headers ? { status, headers } : { status })

export const redirect = (location: string): Answer => ({ status: 302, headers: { Location: location } })
