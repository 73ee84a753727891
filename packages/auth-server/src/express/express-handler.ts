import type { RequestHandler } from 'express'
import type { AuthHandler } from '../core/auth-handler.js'
import { ExpressExchange } from './express-exchange.js'
import { sendAnswer } from './send-answer.js'

/** An Express request handler (what `oauth.router()` returns), named here so other folders need no Express import. */
export type ExpressRequestHandler = RequestHandler

/**
 * Mounts a handler of the layer in Express: `ex.path` is the path under the mount point. Every
 * request under the mount is answered (404 problem+json for an unknown route), never passed on.
 */
export function expressHandler(handler: AuthHandler): RequestHandler {
  return (req, res, next) => {
    handler(new ExpressExchange(req, res, req.path)).then((answer) => sendAnswer(res, answer)).catch(next)
  }
}
