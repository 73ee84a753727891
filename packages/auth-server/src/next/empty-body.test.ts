import { describe, expect, it } from 'vitest'
import { withoutEmptyBody } from './empty-body.js'

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })
const post = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
  new Request('https://app.example.com/auth/refresh', { method: 'POST', headers: { 'x-csrf-token': 't', ...headers }, body, duplex: 'half' })

describe('withoutEmptyBody', () => {
  it('drops the empty stream Next gives a bodiless POST, keeping method, URL and headers', async () => {
    for (const request of [post(stream()), post(stream('', '')), post(stream(), { 'content-length': '0' })]) {
      const passed = await withoutEmptyBody(request)
      expect(passed.body).toBeNull()
      expect(passed.method).toBe('POST')
      expect(passed.url).toBe(request.url)
      expect(passed.headers.get('x-csrf-token')).toBe('t')
    }
  })

  it('passes a body of undeclared length on whole, reading only its first chunk ahead', async () => {
    const passed = await withoutEmptyBody(post(stream('{"email":', '"a@example.com"}')))
    expect(await passed.json()).toEqual({ email: 'a@example.com' })
    expect(await (await withoutEmptyBody(post('{"x":1}'))).json()).toEqual({ x: 1 })
  })

  it('leaves a declared body and a GET untouched', async () => {
    const declared = post('{}', { 'content-length': '2' })
    expect(await withoutEmptyBody(declared)).toBe(declared)
    const get = new Request('https://app.example.com/auth/session')
    expect(await withoutEmptyBody(get)).toBe(get)
  })
})
