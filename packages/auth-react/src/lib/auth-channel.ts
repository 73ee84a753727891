/** What one tab tells the others. */
export type AuthEvent = 'signed-in' | 'signed-out'

export interface AuthChannel {
  post(event: AuthEvent): void
  close(): void
}

/**
 * A BroadcastChannel between the tabs of one origin. Where there is none (old browsers, some
 * server runtimes) this is a no-op: refetch on focus still catches up. There is deliberately no
 * `storage`-event fallback, since this package never touches Web Storage.
 */
export function openAuthChannel(name: string, onEvent: (event: AuthEvent) => void): AuthChannel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined }
  const channel = new BroadcastChannel(name)
  let open = true
  channel.onmessage = (message: MessageEvent<unknown>) => {
    const type = (message.data as { type?: unknown } | null)?.type
    if (type === 'signed-in' || type === 'signed-out') onEvent(type)
  }
  return {
    post: (event) => {
      if (open) channel.postMessage({ type: event })
    },
    close: () => {
      open = false
      channel.close()
    },
  }
}
