/** One line of `CLUSTER NODES`, the parts a test cluster needs. */
export interface ClusterNodeLine {
  readonly id: string
  readonly port: number
  readonly role: 'master' | 'replica'
  /** Flagged `fail` (the majority agrees it is down) or `fail?` (this node thinks so). */
  readonly failed: boolean
  /** The master's id, for a replica. */
  readonly masterId: string | undefined
  /** Inclusive slot ranges it serves (empty for a replica). */
  readonly slots: ReadonlyArray<readonly [number, number]>
}

/**
 * Parses `CLUSTER NODES`: `<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`.
 * Slots being migrated (`[…]`) are skipped; a test cluster never migrates.
 */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
  const nodes: ClusterNodeLine[] = []
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ')
    if (fields.length < 8) continue
    const [id, address, flagList, master, , , , , ...slotFields] = fields as [string, string, string, string, ...string[]]
    const port = Number(/:(\d+)@/.exec(address)?.[1])
    const flags = flagList.split(',')
    if (!Number.isInteger(port) || flags.includes('noaddr') || flags.includes('handshake')) continue
    const slots: Array<readonly [number, number]> = []
    for (const field of slotFields) {
      if (field.startsWith('[')) continue
      const [from, to = from] = field.split('-').map(Number) as [number, number?]
      slots.push([from, to])
    }
    nodes.push({
      id,
      port,
      role: flags.includes('slave') ? 'replica' : 'master',
      failed: flags.includes('fail') || flags.includes('fail?'),
      masterId: master === '-' ? undefined : master,
      slots,
    })
  }
  return nodes
}
