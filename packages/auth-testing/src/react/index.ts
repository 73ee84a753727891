// Entry of '@acme/auth-testing/react': React test helpers (peers: react, @tanstack/react-query, @acme/auth-react).
export {}
