import { defineEslintConfig } from '@acme/tooling/eslint'

export default defineEslintConfig(import.meta.dirname, { securityCritical: true })
