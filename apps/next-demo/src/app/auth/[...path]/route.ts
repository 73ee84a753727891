import { auth } from '../../../auth.js'

// Every route under /auth: sign-in, session, refresh, devices, sign-out, "Sign in with Demo IdP".
export const { GET, POST, DELETE } = auth.routes
