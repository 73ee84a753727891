import { describe, expect, it } from 'vitest'
import { secretsInLog } from './demo-process.js'

// The scan every demo run's log goes through when the demo stops: it must catch each kind.
describe('the demo log scan', () => {
  it('flags a session token, a JWT, an auth cookie, a password, an email and an IP; passes a redacted audit line', () => {
    const clean =
      '{"app":"acme-demo","level":30,"msg":"LOGIN_SUCCEEDED","requestId":"7312a707-73ba-467d-924c-36855be1db61","userAgent":"Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0 Safari/537.36","userId":"u-alice","session":"Wx-xhiai"}'
    expect(secretsInLog(clean)).toEqual([])
    const leaks = [
      `{"msg":"x","token":"${'A'.repeat(24)}.${'B'.repeat(43)}"}`,
      'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1LWFsaWNlIn0.c2lnbmF0dXJlc2ln',
      'cookie: __Host-sid=abc',
      'alice-password',
      '{"msg":"x","to":"alice@example.com"}',
      '{"msg":"x","client":"203.0.113.42"}',
    ]
    for (const line of leaks) expect(secretsInLog(line), line).toHaveLength(1)
  })
})
