import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createPrometheusMetrics } from './prometheus-metrics.js'

describe('createPrometheusMetrics', () => {
  it('serves what is recorded through a meter in the Prometheus text format', async () => {
    const prometheus = createPrometheusMetrics({ register: false })
    const counter = prometheus.meterProvider.getMeter('test').createCounter('acme_test_events', { description: 'test events' })
    counter.add(3, { outcome: 'success' })
    const app = express()
    app.get('/metrics', prometheus.handler)
    const res = await request(app).get('/metrics')
    expect(res.status).toBe(200)
    expect(res.text).toMatch(/# HELP acme_test_events(_total)? test events/)
    expect(res.text).toMatch(/acme_test_events(_total)?\{outcome="success"\} 3/)
    await prometheus.shutdown()
  })
})
