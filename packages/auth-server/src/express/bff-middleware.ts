import type { RequestHandler } from 'express'
import type { Bff } from '../bff/bff.js'
import { ExpressExchange } from './express-exchange.js'
import { sendAnswer } from './send-answer.js'

/** The BFF middleware, plus `close()` for its keep-alive pool. */
export type BffMiddleware = RequestHandler & { close: () => Promise<void> }

/**
 * The BFF as one middleware to mount at the app's root: `app.use(auth.bff({ upstream }))`. It
 * answers `<mount>` and `<mount>/*` and passes everything else on. The upstream's answer streams
 * straight into `res`.
 */
export function bffMiddleware(bff: Bff): BffMiddleware {
  const middleware: RequestHandler = (req, res, next) => {
    const afterMount = bff.afterMount(req.url)
    if (afterMount === null) return next()
    const ex = new ExpressExchange(req, res)
    bff
      .forward(ex, afterMount, (status, headers) => {
        res.statusCode = status
        for (const name of Object.keys(headers)) res.setHeader(name, headers[name]!)
        return res
      })
      .then((answer) => (answer ? sendAnswer(res, answer) : undefined))
      .catch(next)
  }
  return Object.assign(middleware, { close: () => bff.close() })
}
