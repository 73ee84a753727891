// Deep imports of rate-limiter-flexible: its root module also loads the Node `cluster` limiter,
// which core's Web-API-only main entry must not pull in. These two files are plain JS classes.
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js' {
  import type { RateLimiterStoreAbstract } from 'rate-limiter-flexible'
  const Base: typeof RateLimiterStoreAbstract
  export default Base
}

declare module 'rate-limiter-flexible/lib/RateLimiterRes.js' {
  import type { RateLimiterRes } from 'rate-limiter-flexible'
  const Res: typeof RateLimiterRes
  export default Res
}
