import { defineLibrary } from '@acme/tooling/tsup'

export default defineLibrary({
  index: 'src/index.ts',
  conformance: 'src/conformance/index.ts',
  react: 'src/react/index.ts',
})
