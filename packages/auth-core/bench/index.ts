// `pnpm bench` in this package: every bench/*.bench.ts, one after the other (see tooling/bench.js).
import { fileURLToPath } from 'node:url'
import { runBenchFolder } from '@acme/tooling/bench'

await runBenchFolder(fileURLToPath(new URL('.', import.meta.url)))
