import { defineLibrary } from '@acme/tooling/tsup'

export default defineLibrary({
  index: 'src/index.ts',
  redis: 'src/redis/index.ts',
  argon2: 'src/argon2/index.ts',
  postgres: 'src/postgres/index.ts',
  // Not covered by semver: primitives for core's own kit (testing, benchmarks). See its TSDoc.
  internal: 'src/internal/index.ts',
  'postgres-drizzle': 'src/postgres/drizzle-schema.ts',
})
