import {
  createAccessTokenVerifier,
  createRemoteJwksVerifier,
  isAuthError,
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type KeyRing,
  type SigningAlgorithm,
} from '@acme/auth-core'
import type { RequestHandler } from 'express'
import { problem } from '../errors/problem.js'
import { ProblemError } from '../errors/problem-error.js'
import { authFromClaims } from '../strategies/token-strategy.js'
import { installAuthSlot } from './request-auth-slot.js'

/** Options of {@link requireAccessToken}: where keys come from, and what the token must say. */
export type RequireAccessTokenOptions = ({ jwksUrl: string | URL; keyRing?: never } | { keyRing: Pick<KeyRing, 'verificationKey'>; jwksUrl?: never }) & {
  issuer: string
  audience: string | readonly string[]
  /** Every one of these must be in the token's `scope`. @default none */
  scopes?: readonly string[]
  /** @default ['EdDSA', 'ES256', 'RS256'] */
  algorithms?: readonly SigningAlgorithm[]
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      /** The verified access-token claims, set by `requireAccessToken()`. */
      accessToken?: AccessTokenClaims
    }
  }
}

const bearerProblem = (status: 401 | 403, error: string, detail: string) =>
  new ProblemError(problem(status, status === 401 ? 'invalid-token' : 'insufficient-scope', status === 401 ? 'Unauthorized' : 'Forbidden', detail), {
    // RFC 6750 §3: tell the client what went wrong with its Bearer token.
    'WWW-Authenticate': `Bearer error="${error}"`,
  })

/**
 * For upstream APIs: accepts only `Authorization: Bearer <access JWT>` that verifies against the
 * JWKS (remote URL, cached, refetched at most once per cooldown on an unknown kid) or a local key
 * ring. Sets `req.auth` (`strategy: 'bearer'`) and `req.accessToken` (the claims). 401 with
 * `WWW-Authenticate` otherwise; 403 when a required scope is missing.
 *
 * @example
 * ```ts
 * app.use(requireAccessToken({ jwksUrl: 'http://localhost:3000/.well-known/jwks.json', issuer: 'http://localhost:3000', audience: 'notes-api' }))
 * app.get('/me', (req, res) => res.json(req.accessToken))
 * ```
 */
export function requireAccessToken(options: RequireAccessTokenOptions): RequestHandler {
  const common = {
    issuer: options.issuer,
    audience: options.audience,
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
  }
  const verifier: AccessTokenVerifier = options.jwksUrl
    ? createRemoteJwksVerifier({ jwksUrl: options.jwksUrl, ...common })
    : createAccessTokenVerifier({ keyRing: options.keyRing!, ...common })
  const scopes = options.scopes ?? []

  return async (req, _res, next) => {
    const header = req.headers.authorization
    if (typeof header !== 'string' || !/^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header) || header.length > 8192) {
      throw bearerProblem(401, 'invalid_token', 'A Bearer access token is required.')
    }
    let claims: AccessTokenClaims
    try {
      claims = await verifier.verify(header.slice(7))
    } catch (error) {
      if (isAuthError(error, 'ERR_STORE_UNAVAILABLE') || isAuthError(error, 'ERR_JWKS_FETCH')) throw error
      throw bearerProblem(401, 'invalid_token', 'The access token is not valid.')
    }
    const granted = new Set((claims.scope ?? '').split(' ').filter(Boolean))
    if (!scopes.every((scope) => granted.has(scope))) throw bearerProblem(403, 'insufficient_scope', 'A required scope is missing.')
    installAuthSlot(req)
    req.accessToken = claims
    req.auth = authFromClaims(claims, 'bearer')
    next()
  }
}
