// tsup config factory: ESM + CJS + .d.ts for every entry, Node 20 target.
// A package's tsup.config.ts is:  export default defineLibrary({ index: 'src/index.ts' })
import { defineConfig } from 'tsup'

/**
 * @param {Record<string, string>} entry entry name -> source file
 * @param {{ platform?: 'node' | 'neutral' | 'browser', banner?: string }} [options]
 */
export function defineLibrary(entry, options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: options.platform ?? 'node',
    // Built packages resolve each other through their published exports (dist), never through
    // the @acme/source condition the tests use.
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: true,
    // tsup's rollup tree-shaking pass drops banners such as 'use client'; esbuild still removes
    // unused code, and sideEffects: false lets the app's bundler shake the rest.
    treeshake: options.banner === undefined,
    ...(options.banner ? { banner: { js: options.banner } } : {}),
  })
}
