import type { NextConfig } from 'next'

// The workspace packages are consumed from source (their `@acme/source` export condition), as in
// apps/demo: Next compiles them like the app's own files. `next build --webpack` and
// `next dev --webpack` (Turbopack has no custom export conditions).
const config: NextConfig = {
  transpilePackages: ['@acme/auth-core', '@acme/auth-server', '@acme/auth-react', '@acme/demo'],
  // Native or driver packages stay plain Node requires, and OpenTelemetry stays one copy per process.
  serverExternalPackages: ['@node-rs/argon2', 'ioredis', 'pg', '@opentelemetry/api', '@opentelemetry/exporter-prometheus', '@opentelemetry/sdk-metrics'],
  poweredByHeader: false,
  // `pnpm typecheck` (tsc) checks the app; the build does not do it a second time.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // `forbidden()` renders app/forbidden.tsx with status 403 (the admin page for members).
  experimental: { authInterrupts: true },
  // `GET /dev/outbox` answers JSON to a client that does not ask for HTML (curl, fetch), as
  // apps/demo's does; a browser's navigation gets the page.
  rewrites: () =>
    Promise.resolve({
      beforeFiles: [{ source: '/dev/outbox', has: [{ type: 'header', key: 'accept', value: '(?!.*text/html).*' }], destination: '/dev/outbox.json' }],
      afterFiles: [],
      fallback: [],
    }),
  headers: () =>
    Promise.resolve([
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
        ],
      },
      // The mailed links land here with ?token=: never sent on to another origin in a Referer.
      ...['/reset-password', '/verify-email', '/dev/outbox'].map((source) => ({ source, headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] })),
    ]),
  webpack(webpackConfig: { resolve: { conditionNames?: string[]; extensionAlias?: Record<string, string[]> } }) {
    const { resolve } = webpackConfig
    resolve.conditionNames = ['@acme/source', ...(resolve.conditionNames ?? ['...'])]
    // The sources import './x.js' for './x.ts' (NodeNext style).
    resolve.extensionAlias = { ...resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'] }
    return webpackConfig
  },
}

export default config
