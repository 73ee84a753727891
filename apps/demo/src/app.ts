import { problem, problemErrorHandler } from '@acme/auth-server'
import express, { type Express } from 'express'

/** The demo web app. Pages, /auth and the BFF arrive with their issues; this is the skeleton. */
export function createDemoApp(): Express {
  const app = express()
  app.disable('x-powered-by')
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true })
  })
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Auth demo</title></head>
<body><main><h1>Acme Auth demo</h1><p>The server is running.</p></main></body></html>`)
  })
  app.use((_req, res) => {
    res.status(404).type('application/problem+json').json(problem(404, 'not-found', 'Not Found'))
  })
  app.use(problemErrorHandler())
  return app
}
