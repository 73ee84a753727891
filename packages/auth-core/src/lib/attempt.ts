/**
 * Calls `run` and always answers with a promise: a synchronous throw becomes a rejection, a plain
 * value a resolved promise. The store wrappers use it so that each handles failures in one place,
 * with one `.then` and no async frame.
 */
export function attempt<T>(run: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(run())
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what run threw, unchanged; callers wrap it
    return Promise.reject(error)
  }
}
