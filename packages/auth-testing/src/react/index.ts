// Entry of '@acme/auth-testing/react': React test helpers (peers: react, @tanstack/react-query, @acme/auth-react).
export { MockAuthProvider, type MockAuthProviderProps, type MockSession } from './mock-auth-provider.js'
export { createMockSession } from './mock-session.js'
