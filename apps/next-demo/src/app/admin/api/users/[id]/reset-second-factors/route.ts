import { resetSecondFactors } from '@acme/demo/web/reset-second-factors'
import { adminRoute, problemResponse } from '../../../../../../server/admin-api.js'

/** Removes a user's authenticator app, recovery codes and passkeys; the admin must have stepped up. */
export const POST = (request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> =>
  adminRoute(
    request,
    async ({ stores, users, audit }, auth) => {
      const user = await users.findById((await context.params).id)
      if (!user) return problemResponse(404, 'not-found', 'Not Found')
      return Response.json(await resetSecondFactors({ stores, audit }, { userId: user.id, adminId: auth.user.id }))
    },
    { authLevel: 'mfa' },
  )

export const dynamic = 'force-dynamic'
