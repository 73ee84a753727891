/** Every per-user API takes a user id: a non-empty string of at most 256 characters (a caller mistake otherwise). */
export function checkUserId(userId: unknown, path = 'userId'): asserts userId is string {
  if (typeof userId !== 'string' || userId === '' || userId.length > 256) {
    throw new TypeError(`${path} must be a non-empty string of at most 256 characters`)
  }
}
