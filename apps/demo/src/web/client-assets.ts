import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClientAssets } from './render-page.js'

/** The built client's directory (Vite's outDir). */
export const clientDir = join(import.meta.dirname, '..', '..', 'dist', 'client')
const manifestPath = join(clientDir, '.vite', 'manifest.json')
const entry = 'src/client/entry.tsx'

/** Whether `vite build` has produced a client. */
export const clientBuilt = (): boolean => existsSync(manifestPath)

/** The entry's script and stylesheets, from Vite's manifest. */
export function readClientAssets(): ClientAssets {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; css?: string[] }>
  const chunk = manifest[entry]
  if (!chunk) throw new Error(`${manifestPath} has no entry for ${entry}`)
  return { scripts: [`/${chunk.file}`], styles: (chunk.css ?? []).map((file) => `/${file}`) }
}

/**
 * Development: builds the client with Vite in watch mode (no prior build needed) and resolves
 * after the first build; later edits rebuild in the background.
 */
export async function buildClientInWatchMode(): Promise<{ close(): Promise<void> }> {
  const { build } = await import('vite')
  const watcher = await build({ configFile: join(import.meta.dirname, '..', '..', 'vite.config.ts'), mode: 'development', build: { watch: {} } })
  if (!('on' in watcher)) throw new Error('vite build did not return a watcher')
  await new Promise<void>((resolve, reject) => {
    watcher.on('event', (event) => {
      if (event.code === 'END') resolve()
      if (event.code === 'ERROR') {
        console.error(event.error)
        reject(new Error('the client build failed', { cause: event.error }))
      }
      if ('result' in event && event.result) void event.result.close()
    })
  })
  return { close: () => watcher.close() }
}
