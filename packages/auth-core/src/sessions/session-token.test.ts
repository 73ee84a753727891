import { describe, expect, it } from 'vitest'
import { randomToken } from '../lib/crypto.js'
import { formatSessionToken, parseSessionToken } from './session-token.js'

describe('session tokens', () => {
  const id = randomToken(18)
  const secret = randomToken(32)

  it('round-trips <id>.<secret>', () => {
    expect(parseSessionToken(formatSessionToken({ id, secret }))).toEqual({ id, secret })
  })

  it.each([
    ['empty', ''],
    ['no dot', id + secret],
    ['short secret', `${id}.${secret.slice(1)}`],
    ['long secret', `${id}.${secret}A`],
    ['padding', `${id}.${secret.slice(0, -1)}=`],
    ['standard base64', `${id}.${secret.slice(0, -1)}+`],
    ['short id', `abc.${secret}`],
    ['id with a dot', `${id}.x.${secret}`],
    ['id with a brace', `${id.slice(0, -1)}{.${secret}`],
    ['huge', `${'a'.repeat(10_000)}.${secret}`],
    ['not a string', 12345],
  ])('rejects %s', (_name, token) => {
    expect(parseSessionToken(token)).toBeNull()
  })
})
