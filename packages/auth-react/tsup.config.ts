import { defineLibrary } from '@acme/tooling/tsup'

// Every export is a hook or a component: the whole entry is client code for React Server Components.
const library = defineLibrary({ index: 'src/index.ts' }, { banner: "'use client'" })

export default {
  ...library,
  // The `/auth/session` payload types come from @acme/auth-core, a dev dependency only: inline them
  // into the published .d.ts, so installing this package needs neither core nor the server.
  dts: { compilerOptions: { customConditions: [] }, resolve: ['@acme/auth-core'] },
}
