// `pnpm bench` in this package: runs every bench/*.bench.ts in name order, one after the other.
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort()
for (const file of files) {
  const module = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: () => Promise<unknown> }
  await module.default()
}
