import { defineLibrary } from '@acme/tooling/tsup'

// Two builds into one dist/ (the build script empties it first, so neither cleans).
export default [
  { ...defineLibrary({ index: 'src/index.ts', fetch: 'src/fetch/index.ts', next: 'src/next/index.ts', prometheus: 'src/prometheus/index.ts' }), clean: false },
  // The operator CLI: ESM only, with a shebang.
  { ...defineLibrary({ cli: 'src/cli/main.ts' }, { banner: '#!/usr/bin/env node' }), format: ['esm'], dts: false, clean: false },
]
