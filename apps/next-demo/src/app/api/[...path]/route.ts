import { auth } from '../../../auth.js'

// The BFF: /api/* → the upstream notes API, with a short-lived Bearer token for the session.
export const { GET, POST, PUT, PATCH, DELETE } = auth.bff({
  upstream: `http://127.0.0.1:${process.env.UPSTREAM_PORT ?? '4000'}`,
  audience: process.env.UPSTREAM_AUDIENCE ?? 'acme-demo-api',
})
