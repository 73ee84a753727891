import type { InitialState } from '../shared/page-state.js'

/**
 * Serialises the page's initial state for a `<script type="application/json">` element. Every
 * character that could end the element or start markup is escaped as a JSON `\u` escape, so a user
 * name such as `</script><script>alert(1)</script>` stays data (the JSON still parses to it).
 */
export function serializeInitialState(state: InitialState): string {
  return JSON.stringify(state).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
