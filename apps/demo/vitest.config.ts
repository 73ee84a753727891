import { defineVitestConfig } from '@acme/tooling/vitest'

export default defineVitestConfig()
