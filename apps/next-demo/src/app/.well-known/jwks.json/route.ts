import { auth } from '../../../auth.js'

// The public signing keys, for the upstream API (and anyone verifying the access tokens).
export const { GET } = auth.jwks
export const dynamic = 'force-dynamic'
