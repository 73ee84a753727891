// Benchmark baseline (`NEXT_DEMO_BENCH=1` only; 404 otherwise): the same Route Handler as
// ../session, without getSession(). packages/auth-server/bench/next-route.bench.ts compares them.
export function GET(): Response {
  if (process.env.NEXT_DEMO_BENCH !== '1') return new Response(null, { status: 404 })
  return Response.json({ user: 'bench' })
}
