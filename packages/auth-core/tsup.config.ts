import { defineLibrary } from '@acme/tooling/tsup'

export default defineLibrary({
  index: 'src/index.ts',
  redis: 'src/redis/index.ts',
  argon2: 'src/argon2/index.ts',
})
