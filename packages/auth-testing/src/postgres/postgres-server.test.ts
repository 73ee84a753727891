import { existsSync } from 'node:fs'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isPortFree } from '../redis/free-port.js'
import { startPostgresServer } from './postgres-server.js'

/** One query on a fresh connection (no pool: each call proves the server answers right now). */
async function query<Row extends pg.QueryResultRow>(url: string, text: string, connectionTimeoutMillis = 2_000): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis })
  client.on('error', () => {})
  await client.connect()
  try {
    return (await client.query<Row>(text)).rows
  } finally {
    await client.end()
  }
}

const refusal = async (url: string): Promise<string | undefined> => {
  try {
    await query(url, 'SELECT 1')
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code
  }
}

describe('startPostgresServer', () => {
  it('runs a private PostgreSQL that can be killed, paused and started again with its data, and removes its directory on close', async () => {
    const startedAt = performance.now()
    const server = await startPostgresServer()
    const startMs = performance.now() - startedAt
    try {
      expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`)
      expect(await query<{ one: number }>(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
      expect(await query<{ address: string }>(server.url, "SELECT current_setting('listen_addresses') AS address")).toEqual([{ address: '127.0.0.1' }])
      await query(server.url, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('yes')")

      // A crash: the postmaster is gone, so its port refuses connections at once.
      await server.kill()
      expect(await refusal(server.url)).toBe('ECONNREFUSED')

      const restartedAt = performance.now()
      await server.start()
      const restartMs = performance.now() - restartedAt
      expect(await query<{ value: string }>(server.url, 'SELECT value FROM kept')).toEqual([{ value: 'yes' }])

      // Frozen: an open connection gets no answer, a new one is accepted by the kernel but never served.
      const open = new pg.Client({ connectionString: server.url, query_timeout: 300 })
      await open.connect()
      server.pause()
      await expect(open.query('SELECT 1')).rejects.toThrow(/timeout/i)
      await expect(query(server.url, 'SELECT 1', 300)).rejects.toThrow(/timeout/i)
      server.resume()
      expect(await query<{ value: string }>(server.url, 'SELECT value FROM kept')).toEqual([{ value: 'yes' }])
      await open.end()

      await server.stop()
      expect(await refusal(server.url)).toBe('ECONNREFUSED')
      await server.restart() // from stopped: starts it
      expect(await query<{ value: string }>(server.url, 'SELECT value FROM kept')).toEqual([{ value: 'yes' }])
      console.log(`startPostgresServer: started in ${startMs.toFixed(0)} ms, restarted after a kill in ${restartMs.toFixed(0)} ms`)
    } finally {
      await server.close()
    }
    expect(existsSync(server.dir)).toBe(false)
    expect(await isPortFree(server.port)).toBe(true)
  }, 30_000)
})
