import type { PageName, PageState } from '@acme/demo/shared/page-state'
import { demoServer } from './demo-server.js'

/** apps/demo's `PageState` for a page of this app: the strategy, and whether mail is kept at `/dev/outbox`. */
export async function pageState(page: PageName, extra: Partial<PageState> = {}): Promise<PageState> {
  const server = await demoServer()
  return { page, strategy: server.config.strategy, returnTo: '/', ...(server.outbox ? { devOutbox: true } : {}), ...extra }
}
