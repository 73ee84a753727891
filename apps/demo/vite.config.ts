import { defaultClientConditions, defineConfig } from 'vite'

// The browser bundle: src/client/entry.tsx → dist/client/assets, with a manifest the server reads.
export default defineConfig(({ mode }) => ({
  // React's production build unless explicitly built in development mode (vitest sets NODE_ENV=test).
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
  publicDir: false,
  resolve: { conditions: ['@acme/source', ...defaultClientConditions] },
  esbuild: { jsx: 'automatic', jsxDev: mode === 'development' },
  logLevel: 'warn',
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    manifest: true,
    sourcemap: true,
    rollupOptions: {
      input: 'src/client/entry.tsx',
      // React Server Components directives mean nothing in a client bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'SOURCEMAP_ERROR') return
        warn(warning)
      },
    },
  },
}))
