import { adminRoute, problemResponse } from '../../../../../../server/admin-api.js'

/** Ends every session of a user; their refresh families (token strategy, native apps) can mint no more. */
export const POST = (request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> =>
  adminRoute(request, async ({ stores, users }) => {
    const user = await users.findById((await context.params).id)
    if (!user) return problemResponse(404, 'not-found', 'Not Found')
    await stores.sessions.revokeAllForUser(user.id)
    await stores.refreshFamilies.revokeAllForUser(user.id)
    return new Response(null, { status: 204 })
  })

export const dynamic = 'force-dynamic'
