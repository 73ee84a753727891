import { pipeline } from 'node:stream/promises'
import type { Response } from 'express'
import type { Answer } from '../http/answer.js'

/** Writes an answer of the layer to an Express response. */
export async function sendAnswer(res: Response, answer: Answer): Promise<void> {
  if (res.headersSent) return
  if (answer.headers) for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value)
  res.status(answer.status)
  const body = answer.body
  if (body === undefined) {
    res.end()
  } else if ('json' in body) {
    res.type(body.type ?? 'application/json').send(JSON.stringify(body.json))
  } else {
    await pipeline(body.stream, res)
  }
}
