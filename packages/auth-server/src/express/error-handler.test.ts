import { AuthError, definePolicies } from '@acme/auth-core'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { problemErrorHandler } from './error-handler.js'
import { OAuthError } from '../oauth/oauth-error.js'

function appThrowing(error: unknown) {
  const app = express()
  app.use(express.json({ limit: '16kb' }))
  app.all('/boom', () => {
    throw error
  })
  app.use(problemErrorHandler())
  return app
}

describe('problemErrorHandler', () => {
  it('maps a store outage to 503 problem+json with Retry-After', async () => {
    const res = await request(appThrowing(new AuthError('ERR_STORE_UNAVAILABLE', 'redis down'))).get('/boom')
    expect(res.status).toBe(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body).toMatchObject({ status: 503, code: 'ERR_STORE_UNAVAILABLE', title: 'Service Unavailable' })
    expect(JSON.stringify(res.body)).not.toContain('redis down')
  })

  it('never leaks a stack trace or an internal message for an unknown error', async () => {
    const res = await request(appThrowing(new Error('secret internals at db.ts:42'))).get('/boom')
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ type: 'https://acme.dev/problems/internal', title: 'Internal Server Error', status: 500 })
  })

  it('answers a malformed JSON body with 400, not 500', async () => {
    const res = await request(appThrowing(new Error('unreached')))
      .post('/boom')
      .set('content-type', 'application/json')
      .send('{"email": ')
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('answers an oversized body with 413', async () => {
    const res = await request(appThrowing(new Error('unreached')))
      .post('/boom')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(20_000) }))
    expect(res.status).toBe(413)
    expect(res.body).toMatchObject({ status: 413, title: 'Payload Too Large' })
  })

  it('answers an OAuthError from the same table: its status, a slug of its code, no message', async () => {
    const res = await request(appThrowing(new OAuthError('ERR_OAUTH_STATE_INVALID', 'state mismatch for tx-42'))).get('/boom')
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toEqual({
      type: 'https://acme.dev/problems/oauth-state-invalid',
      title: 'Bad Request',
      status: 400,
      code: 'ERR_OAUTH_STATE_INVALID',
    })
    const unavailable = await request(appThrowing(new OAuthError('ERR_OAUTH_PROVIDER_UNAVAILABLE', 'down'))).get('/boom')
    expect(unavailable.body).toMatchObject({ status: 502, title: 'Bad Gateway', code: 'ERR_OAUTH_PROVIDER_UNAVAILABLE' })
  })

  it("answers a policy denial thrown by policies.assert with 403, without the rule's reason", async () => {
    const policies = definePolicies({ 'note.delete': () => ({ allowed: false, reason: 'owner-only-secret-rule' }) })
    let denial: unknown
    try {
      policies.assert({ id: 'u-bob' }, 'note.delete')
    } catch (error) {
      denial = error
    }
    const res = await request(appThrowing(denial)).get('/boom')
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ type: 'https://acme.dev/problems/forbidden', title: 'Forbidden', status: 403, code: 'ERR_POLICY_DENIED' })
  })
})
