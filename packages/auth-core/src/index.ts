export { AuthError, isAuthError, type AuthErrorCode } from './errors.js'
export { systemClock, type Clock } from './clock.js'
export { fingerprint, randomToken, sha256, timingSafeEqual } from './lib/crypto.js'
