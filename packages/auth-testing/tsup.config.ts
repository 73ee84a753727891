import { defineLibrary } from '@acme/tooling/tsup'

// Two builds into one dist/ (the build script empties it first): the React helpers carry 'use client'.
export default [
  { ...defineLibrary({ index: 'src/index.ts', conformance: 'src/conformance/index.ts' }), clean: false },
  { ...defineLibrary({ react: 'src/react/index.ts' }, { banner: "'use client'" }), clean: false },
]
