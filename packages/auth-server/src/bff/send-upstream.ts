import type { Readable, Writable } from 'node:stream'
import type { Dispatcher } from 'undici'

/** Response headers as undici parses them: lower-case names, a repeated header as a list. */
export type UpstreamHeaders = Record<string, string | string[] | undefined>

/**
 * Called once the upstream's status and headers are known: returns the stream its body goes
 * into, or `null` to read the body and drop it (an answer that will be retried).
 */
export type OnUpstreamAnswer = (statusCode: number, headers: UpstreamHeaders) => Writable | null

/**
 * Sends one request through `dispatcher` and streams the answer into the sink `onAnswer` returns,
 * with backpressure (the upstream is paused while the sink drains). A dispatch handler rather than
 * undici's `stream()`: that adds an async resource and `finished()`'s half a dozen listeners to
 * every response, a measurable part of a proxied request.
 *
 * Resolves once the whole body went into the sink and the sink was ended. Rejects with undici's
 * error (a refused connection, a timeout, a broken body) or the request body's, and, when the sink
 * closes before the end (the client went away), aborts the upstream request and rejects. Once an
 * answer has started, the caller destroys the sink on rejection.
 */
export function sendUpstream(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  onAnswer: OnUpstreamAnswer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const handler = new SinkHandler(onAnswer, resolve, reject)
    const body = options.body
    // A streamed body can fail before or while undici reads it (the BFF's size limit): that fails the attempt.
    if (isReadable(body)) {
      if (body.errored) return reject(body.errored)
      body.on('error', (error) => handler.fail(error))
    }
    dispatcher.dispatch(options, handler)
  })
}

function isReadable(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function'
}

const clientGone = 'the client closed the response before the upstream finished'

class SinkHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined
  #sink: Writable | null = null
  #settled = false
  readonly #onAnswer: OnUpstreamAnswer
  readonly #resolve: () => void
  readonly #reject: (error: unknown) => void

  constructor(onAnswer: OnUpstreamAnswer, resolve: () => void, reject: (error: unknown) => void) {
    this.#onAnswer = onAnswer
    this.#resolve = resolve
    this.#reject = reject
  }

  /** Ends the attempt with `error` (once) and aborts the upstream request if it is under way. */
  fail(error: unknown): void {
    if (this.#settled) return
    this.#settled = true
    this.#reject(error)
    const controller = this.#controller
    if (controller && !controller.aborted) controller.abort(error instanceof Error ? error : new Error(String(error)))
  }

  readonly #sinkClosed = () => {
    if (!this.#settled) this.fail(new Error(clientGone))
  }

  readonly #drained = () => this.#controller?.resume()

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#settled) controller.abort(new Error('the attempt already failed'))
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: UpstreamHeaders): void {
    if (statusCode < 200 || this.#settled) return
    try {
      const sink = this.#onAnswer(statusCode, headers)
      if (sink === null) return
      // The client may have gone while the upstream was answering.
      if (sink.destroyed) return this.fail(new Error(clientGone))
      this.#sink = sink
      sink.once('close', this.#sinkClosed)
    } catch (error) {
      this.fail(error)
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const sink = this.#sink
    if (sink === null || this.#settled) return
    if (!sink.write(chunk)) {
      controller.pause()
      sink.once('drain', this.#drained)
    }
  }

  onResponseEnd(): void {
    if (this.#settled) return
    this.#settled = true
    const sink = this.#sink
    if (sink !== null) {
      sink.off('close', this.#sinkClosed)
      sink.end()
    }
    this.#resolve()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(error)
  }
}
