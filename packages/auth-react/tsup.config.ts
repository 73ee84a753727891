import { defineLibrary } from '@acme/tooling/tsup'

// Every export is a hook or a component: the whole entry is client code for React Server Components.
export default defineLibrary({ index: 'src/index.ts' }, { banner: "'use client'" })
