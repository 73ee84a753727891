export { createAuth, type Auth } from './create-auth.js'
export type {
  AuthHttpOptions,
  AuthOptions,
  LimitDecision,
  PasswordHashing,
  SignInLimiter,
} from './auth-options.js'
export type { DirectoryUser, UserDirectory } from './user-directory.js'
export type { AuthSessionInfo, AuthUser, RequestAuth } from './request-auth.js'
export { requireAuth, requireFreshSession, requireRole } from './guards.js'
export { problem, type Problem } from './problem.js'
export { toProblem } from './to-problem.js'
export { ProblemError } from './problem-error.js'
export { problemErrorHandler } from './error-handler.js'
export type { BffOptions } from './bff/bff-router.js'
export type { BearerTokenSource } from './bff/bff-proxy.js'
export type { BearerToken } from './bff/bearer-token-cache.js'
