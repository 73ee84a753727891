// The scenarios of the protected-route benchmark, shared by the bench, its server and the profiler.
export const protectedScenarios = [
  'bare',
  'ideal',
  'acme-memory',
  'acme-redis',
  'acme-redis-cached',
  'express-session-memory',
  'express-session-redis',
  'acme-postgres',
  'acme-postgres-cached',
  'express-session-postgres',
  'acme-token',
  'fetch-bare',
  'acme-fetch-session',
] as const
export type ProtectedScenario = (typeof protectedScenarios)[number]
