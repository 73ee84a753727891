import { defineConfig } from 'vitest/config'

// The tooling's own tests: the project's ESLint rules (run by RuleTester) and repository checks.
export default defineConfig({
  test: { include: ['eslint-rules/**/*.test.js', 'checks/**/*.test.js'], environment: 'node', passWithNoTests: false },
})
