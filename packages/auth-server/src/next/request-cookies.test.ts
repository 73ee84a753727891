import { describe, expect, it } from 'vitest'
import { applySetCookies } from './request-cookies.js'

describe('applySetCookies', () => {
  it('replaces a rotated cookie, keeps the others, and adds a new one', () => {
    const header = applySetCookies('__Host-access=old; theme=dark', [
      '__Host-access=new; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=600',
      '__Host-csrf=token; Path=/; Secure; SameSite=Lax',
    ])
    expect(header).toBe('__Host-access=new; theme=dark; __Host-csrf=token')
  })

  it('drops a cookie cleared with Max-Age=0 or an Expires in the past', () => {
    const header = applySetCookies('__Host-sid=abc; __Host-csrf=t; keep=1', [
      '__Host-sid=; Path=/; Max-Age=0',
      '__Host-csrf=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ])
    expect(header).toBe('keep=1')
  })

  it('works without a Cookie header and ignores malformed lines', () => {
    expect(applySetCookies(null, ['=nameless', 'garbage', 'a=1; Path=/'])).toBe('a=1')
  })
})
