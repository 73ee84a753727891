import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createDemoApp } from './app.js'

describe('demo app', () => {
  it('serves the home page and a health check', async () => {
    const app = createDemoApp()
    const home = await request(app).get('/')
    expect(home.status).toBe(200)
    expect(home.text).toContain('Acme Auth demo')
    expect((await request(app).get('/healthz')).body).toEqual({ ok: true })
  })

  it('answers unknown routes with problem+json', async () => {
    const res = await request(createDemoApp()).get('/nope')
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
