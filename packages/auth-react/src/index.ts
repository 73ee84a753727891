export { authQueryKeys } from './query-keys.js'
export type { SessionPayload, SessionUser } from './session-payload.js'
