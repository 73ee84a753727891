// `pnpm bench` in this package: runs every bench/*.bench.ts in name order, one after the other, and
// keeps each one's rows in bench/results/<name>.json for the report (tooling/bench-report.mjs).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.env.BENCH_ONLY
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts') && (only === undefined || file.startsWith(only)))
  .sort()
mkdirSync(`${dir}results`, { recursive: true })
for (const file of files) {
  const module = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: () => Promise<unknown> }
  const rows = await module.default()
  writeFileSync(`${dir}results/${file.replace('.bench.ts', '.json')}`, JSON.stringify({ bench: file, at: new Date().toISOString(), rows }, null, 2))
}
