import { defineEslintConfig } from '@acme/tooling/eslint'

export default [{ ignores: ['.next/**', 'next-env.d.ts'] }, ...defineEslintConfig(import.meta.dirname)]
