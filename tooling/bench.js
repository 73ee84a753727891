// Runs every <dir>/*.bench.ts in name order, one after the other, and keeps each one's rows in
// <dir>/results/<name>.json for tooling/bench-report.mjs. BENCH_ONLY=<prefix> runs a subset.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** @param {string} dir the bench folder, ending with a slash */
export async function runBenchFolder(dir) {
  const only = process.env.BENCH_ONLY
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.bench.ts') && (only === undefined || file.startsWith(only)))
    .sort()
  mkdirSync(`${dir}results`, { recursive: true })
  for (const file of files) {
    const module = await import(pathToFileURL(`${dir}${file}`).href)
    const rows = await module.default()
    writeFileSync(`${dir}results/${file.replace('.bench.ts', '.json')}`, JSON.stringify({ bench: file, at: new Date().toISOString(), rows }, null, 2))
  }
}
