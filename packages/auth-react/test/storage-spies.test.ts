// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { spyOnBrowserStorage } from './storage-spies.js'

describe('spyOnBrowserStorage', () => {
  it('catches every kind of touch the storage tests rely on it to catch', () => {
    const spies = spyOnBrowserStorage()
    try {
      localStorage.setItem('a', '1')
      window.sessionStorage.getItem('a')
      void document.cookie
      document.cookie = 'a=1'
      void (globalThis as { indexedDB?: unknown }).indexedDB
      expect(spies.touched()).toEqual([
        'localStorage',
        'Storage.setItem',
        'sessionStorage',
        'Storage.getItem',
        'document.cookie (read)',
        'document.cookie (write)',
        'indexedDB',
      ])
    } finally {
      spies.restore()
    }
  })
})
