'use client'
import { createContext, useContext } from 'react'
import type { AuthRuntime } from './auth-runtime.js'

export const AuthContext = /* @__PURE__ */ createContext<AuthRuntime | null>(null)

/** The provider's runtime; a hook outside `<AuthProvider>` fails loudly, naming itself. */
export function useAuthRuntime(hook: string): AuthRuntime {
  const runtime = useContext(AuthContext)
  if (!runtime) throw new Error(`${hook}() is used outside <AuthProvider>: wrap the app in <AuthProvider> (or <MockAuthProvider> in tests).`)
  return runtime
}
