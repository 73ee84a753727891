import { auth } from './auth.js'
import { withContentSecurityPolicy } from './server/content-security-policy.js'

// Signed-out visitors of these pages go to /login?returnTo=… (303). Cookies that slide or
// rotate are written here, where a response can still set them.
export default auth.proxy({
  protect: ['/', '/notes', '/account', '/admin'],
  signIn: '/login',
  next: (_request, { requestHeaders }) => withContentSecurityPolicy(requestHeaders),
})

// Pages only: not /auth, the BFF, the admin API, the JWKS or Next's own files.
export const config = {
  matcher: [{ source: '/((?!auth/|api/|admin/api/|\\.well-known/|_next/|favicon\\.ico).*)' }],
}
