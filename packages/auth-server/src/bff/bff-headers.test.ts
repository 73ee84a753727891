import { describe, expect, it } from 'vitest'
import { clientResponseHeaders, upstreamRequestHeaders } from './bff-headers.js'

describe('upstreamRequestHeaders', () => {
  it('forwards the safe headers, drops credentials, forwarding facts and what Connection lists, and adds ours', () => {
    const sent = upstreamRequestHeaders(
      {
        accept: 'application/json',
        cookie: '__Host-sid=secret',
        authorization: 'Bearer browser',
        'x-forwarded-for': '6.6.6.6',
        connection: 'keep-alive, X-Private',
        'x-private': 'hop',
        'keep-alive': 'timeout=5',
        'x-kept': ['a', 'b'],
        'x-missing': undefined,
      },
      { authorization: 'Bearer ours', 'x-request-id': 'req-0123456789' },
    )
    expect(sent).toEqual({ accept: 'application/json', 'x-kept': ['a', 'b'], authorization: 'Bearer ours', 'x-request-id': 'req-0123456789' })
  })

  it('reads a Connection header sent twice', () => {
    const sent = upstreamRequestHeaders({ connection: ['close', 'x-one'], 'x-one': '1', 'x-two': '2' }, {})
    expect(sent).toEqual({ 'x-two': '2' })
  })
})

describe('clientResponseHeaders', () => {
  it('drops Set-Cookie, hop-by-hop headers and what Connection lists; keeps the rest by lower-case name', () => {
    const answer = clientResponseHeaders({
      'Content-Type': 'application/json',
      'set-cookie': ['upstream=1'],
      connection: 'keep-alive, x-up-private',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'x-up-private': '1',
      vary: ['accept', 'origin'],
    })
    expect(answer).toEqual({ 'content-type': 'application/json', vary: ['accept', 'origin'] })
  })

  it('answers a header set with no Connection header at all', () => {
    expect(clientResponseHeaders({ 'x-visible': 'yes', 'x-none': undefined })).toEqual({ 'x-visible': 'yes' })
  })
})
