import { outboxEntries } from '../../../server/outbox-entries.js'

/** `GET /dev/outbox` as JSON (the proxy rewrites a request that asks for JSON here); 404 in production. */
export async function GET(): Promise<Response> {
  const messages = await outboxEntries()
  if (!messages) return new Response(null, { status: 404 })
  return Response.json(messages, { headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } })
}
