import type { AuditEvent } from '@acme/auth-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { browser, signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

/** Starts a sign-in and lets the IdP complete it; the callback is NOT called yet. */
async function startAndLogin(bed: OAuthTestBed, b: ReturnType<typeof browser>, alter?: (url: URL) => void) {
  const start = await b.get('/auth/oauth/demo?returnTo=/notes')
  const url = new URL(start.headers.location as string)
  alter?.(url)
  const callback = await bed.idp.login(url, { account: 'alice-sub' })
  return { callback, path: `${callback.pathname}${callback.search}` }
}

describe('failed OAuth callbacks are audited as LOGIN_FAILED', () => {
  let bed: OAuthTestBed
  beforeAll(async () => {
    bed = await startOAuthTestBed()
  })
  afterAll(() => bed.stop())
  afterEach(() => {
    delete bed.tamper.request
    bed.tamper.down = false
    bed.audit.clear()
  })

  /** The one LOGIN_FAILED of the last request, checked to hold none of the callback's secrets. */
  const failure = (callback: URL): AuditEvent => {
    const failures = bed.audit.ofType('LOGIN_FAILED')
    expect(failures).toHaveLength(1)
    const event = failures[0]!
    const text = JSON.stringify(event)
    for (const name of ['code', 'state']) {
      const value = callback.searchParams.get(name)
      if (value) expect(text).not.toContain(value)
    }
    expect(event).toMatchObject({ outcome: 'failure', data: { provider: 'demo' } })
    expect(event.reason).toMatch(/^oauth_[a-z_]{1,40}$/)
    return event
  }

  it('a callback without state: oauth_state_missing', async () => {
    const b = browser(bed.app)
    const { callback } = await startAndLogin(bed, b)
    const state = callback.searchParams.get('state')!
    callback.searchParams.delete('state')
    expect((await b.get(`${callback.pathname}${callback.search}`)).status).toBe(400)
    const event = failure(callback)
    expect(event.reason).toBe('oauth_state_missing')
    expect(JSON.stringify(event)).not.toContain(state)
  })

  it('a forged state: oauth_state_invalid', async () => {
    const b = browser(bed.app)
    const { callback } = await startAndLogin(bed, b)
    callback.searchParams.set('state', 'forged-state-value-forged-state-value-forged')
    expect((await b.get(`${callback.pathname}${callback.search}`)).status).toBe(400)
    expect(failure(callback).reason).toBe('oauth_state_invalid')
  })

  it('a replayed callback: oauth_state_replayed', async () => {
    const b = browser(bed.app)
    const { callback, path } = await startAndLogin(bed, b)
    const sealed = b.cookie('__Host-oauth-tx')!
    expect((await b.get(path)).status).toBe(302)
    expect(bed.audit.ofType('LOGIN_FAILED')).toHaveLength(0)
    expect(bed.audit.ofType('LOGIN_SUCCEEDED')).toHaveLength(1)
    b.jar.set('__Host-oauth-tx', { value: sealed, path: '/' })
    expect((await b.get(path)).status).toBe(400)
    expect(failure(callback).reason).toBe('oauth_state_replayed')
  })

  it('a stolen code replayed in another transaction: oauth_code_rejected', async () => {
    const victim = browser(bed.app)
    const { callback } = await startAndLogin(bed, victim)
    expect((await victim.get(`${callback.pathname}${callback.search}`)).status).toBe(302)
    const attacker = browser(bed.app)
    const forged = new URL((await startAndLogin(bed, attacker)).callback)
    forged.searchParams.set('code', callback.searchParams.get('code')!)
    expect((await attacker.get(`${forged.pathname}${forged.search}`)).status).toBe(401)
    expect(failure(forged).reason).toBe('oauth_code_rejected')
  })

  it('a PKCE verifier mismatch: oauth_code_rejected', async () => {
    const b = browser(bed.app)
    const { callback, path } = await startAndLogin(bed, b)
    bed.tamper.request = (_url, body) => {
      if (body.get('grant_type') === 'authorization_code') body.set('code_verifier', 'x'.repeat(43))
    }
    expect((await b.get(path)).status).toBe(401)
    expect(failure(callback).reason).toBe('oauth_code_rejected')
  })

  it('a nonce mismatch: oauth_id_token_invalid', async () => {
    const b = browser(bed.app)
    const { callback, path } = await startAndLogin(bed, b, (url) => url.searchParams.set('nonce', 'attacker-nonce-attacker-nonce-attacker-nonce'))
    expect((await b.get(path)).status).toBe(401)
    expect(failure(callback).reason).toBe('oauth_id_token_invalid')
  })

  it('a provider error, an unreachable provider and a refused account: their own reasons', async () => {
    const denied = await signInWithProvider(bed, browser(bed.app), 'demo', { deny: true })
    expect(denied.res.status).toBe(302)
    expect(failure(denied.callback).reason).toBe('oauth_access_denied')
    bed.audit.clear()

    const b = browser(bed.app)
    const { callback, path } = await startAndLogin(bed, b)
    bed.tamper.down = true
    expect((await b.get(path)).status).toBe(302)
    expect(failure(callback).reason).toBe('oauth_provider_unavailable')
    bed.tamper.down = false
    bed.audit.clear()

    const blocked = await signInWithProvider(bed, browser(bed.app), 'demo', { account: 'blocked-sub' })
    expect(blocked.res.status).toBe(302)
    expect(failure(blocked.callback).reason).toBe('oauth_account_not_allowed')
  })
})
