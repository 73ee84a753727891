import { describe, expect, it } from 'vitest'
import * as core from './index.js'
import * as internal from './internal/index.js'

// The primitives core is built from are not part of the product: they live on the internal entry.
const primitives = ['fingerprint', 'parseRefreshToken', 'parseSessionToken', 'randomToken', 'sha256'] as const

describe('the main entry of @acme/auth-core', () => {
  it('exports none of the primitives, which the internal entry holds', () => {
    for (const name of primitives) {
      expect(Object.keys(core), name).not.toContain(name)
      expect(typeof internal[name], name).toBe('function')
    }
  })

  it('keeps timingSafeEqual, which server code compares secrets with', () => {
    expect(core.timingSafeEqual('csrf-token-from-header', 'csrf-token-from-header')).toBe(true)
    expect(core.timingSafeEqual('csrf-token-from-header', 'csrf-token-from-cookie')).toBe(false)
  })
})
