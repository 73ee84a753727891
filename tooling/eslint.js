// Shared eslint flat config. A package's eslint.config.js is one line:
//   export default defineEslintConfig(import.meta.dirname)
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** @param {string} tsconfigRootDir the package folder (import.meta.dirname) */
export function defineEslintConfig(tsconfigRootDir) {
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
  )
}
