import { auth } from '../../../auth.js'

// Benchmark (`NEXT_DEMO_BENCH=1` only; 404 otherwise): a Route Handler that reads the session with
// getSession(), against ../plain, which does not. 401 when signed out, like a protected handler.
export async function GET(): Promise<Response> {
  if (process.env.NEXT_DEMO_BENCH !== '1') return new Response(null, { status: 404 })
  const session = await auth.getSession()
  if (session.user === null) return Response.json({ type: 'https://acme.dev/problems/unauthenticated', title: 'Unauthorized', status: 401 }, { status: 401 })
  return Response.json({ user: session.user.id })
}
