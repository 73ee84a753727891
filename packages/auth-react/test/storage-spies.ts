// Tripwires on every place a browser script could keep state: Web Storage, IndexedDB and
// document.cookie. Each records any touch, so a test can assert there was none.
import { vi, type MockInstance } from 'vitest'

export interface StorageSpies {
  /** Names of what was touched, e.g. ['Storage.setItem', 'document.cookie (read)']. */
  touched(): string[]
  restore(): void
}

export function spyOnBrowserStorage(): StorageSpies {
  const touches: string[] = []
  const spies: MockInstance[] = []
  const storageMethods = ['getItem', 'setItem', 'removeItem', 'clear', 'key'] as const
  for (const method of storageMethods) {
    spies.push(vi.spyOn(Storage.prototype, method).mockImplementation(() => {
      touches.push(`Storage.${method}`)
      return null
    }))
  }
  spies.push(vi.spyOn(document, 'cookie', 'get').mockImplementation(() => {
    touches.push('document.cookie (read)')
    return ''
  }))
  spies.push(vi.spyOn(document, 'cookie', 'set').mockImplementation(() => {
    touches.push('document.cookie (write)')
  }))
  // The storage objects themselves: reaching for them at all counts as a touch.
  const restores: (() => void)[] = []
  for (const name of ['localStorage', 'sessionStorage', 'indexedDB'] as const) {
    const owner = name in window ? window : globalThis
    const original = Object.getOwnPropertyDescriptor(owner, name)
    Object.defineProperty(owner, name, {
      configurable: true,
      get() {
        touches.push(name)
        return (original?.get ? original.get.call(owner) : original?.value) as unknown
      },
    })
    restores.push(() => {
      if (original) Object.defineProperty(owner, name, original)
      else delete (owner as unknown as Record<string, unknown>)[name]
    })
  }
  return {
    touched: () => [...touches],
    restore() {
      for (const spy of spies) spy.mockRestore()
      for (const restore of restores) restore()
    },
  }
}
