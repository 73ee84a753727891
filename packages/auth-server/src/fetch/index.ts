export { createFetchAuth, type FetchAuth, type FetchAuthOptions, type FetchAuthResult } from './create-fetch-auth.js'
export { createAuthCore, type AuthCore, type AuthBffOptions } from '../core/create-auth-core.js'
export type { AuthOptions } from '../config/auth-options.js'
export type { RequestAuth } from '../core/request-auth.js'
