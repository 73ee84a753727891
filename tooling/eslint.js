// Shared eslint flat config. A package's eslint.config.js is one line:
//   export default defineEslintConfig(import.meta.dirname)
// Packages that handle secrets opt in to the stricter source rules:
//   export default defineEslintConfig(import.meta.dirname, { securityCritical: true })
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { noSecretEquality } from './eslint-rules/no-secret-equality.js'

/** The project's own rules, as a local plugin: `acme/<rule>`. */
export const acmePlugin = {
  meta: { name: '@acme/eslint-plugin' },
  rules: { 'no-secret-equality': noSecretEquality },
}

/**
 * @param {string} tsconfigRootDir the package folder (import.meta.dirname)
 * @param {{ securityCritical?: boolean }} [options] `securityCritical`: the package compares secrets
 *   (core, server), so its sources (not its tests) must do so in constant time (`acme/no-secret-equality`).
 */
export function defineEslintConfig(tsconfigRootDir, { securityCritical = false } = {}) {
  return tseslint.config(
    { ignores: ['dist/**', 'coverage/**', 'test-results/**', '*.config.*'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/no-explicit-any': 'error',
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
        'no-console': ['error', { allow: ['warn', 'error'] }],
        eqeqeq: ['error', 'smart'],
      },
    },
    {
      // Tests may poke at internals and print diagnostics.
      files: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'bench/**'],
      rules: {
        'no-console': 'off',
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/unbound-method': 'off',
      },
    },
    ...(securityCritical
      ? [
          {
            files: ['src/**/*.ts', 'src/**/*.tsx'],
            ignores: ['**/*.test.ts', '**/*.test.tsx'],
            plugins: { acme: acmePlugin },
            rules: { 'acme/no-secret-equality': 'error' },
          },
        ]
      : []),
  )
}
