import type { PasswordHasher } from '@acme/auth-core'
import type { DirectoryUser, UserDirectory } from '@acme/auth-server'

/** A seeded account: the password is hashed at start-up and never kept. */
export interface SeedUser {
  id: string
  email: string
  name: string
  roles: readonly string[]
  password?: string
}

/** The demo's user directory: a Map, seeded at start-up. A real app reads its database here. */
export interface DemoUsers extends UserDirectory {
  list(): DirectoryUser[]
}

export async function createDemoUsers(seed: readonly SeedUser[], hasher: PasswordHasher): Promise<DemoUsers> {
  const byId = new Map<string, DirectoryUser>()
  for (const user of seed) {
    byId.set(user.id, {
      id: user.id,
      email: user.email,
      name: user.name,
      roles: [...user.roles],
      passwordHash: user.password === undefined ? null : await hasher.hash(user.password),
    })
  }
  const byEmail = (email: string) => [...byId.values()].find((user) => user.email === email) ?? null
  return {
    findByEmail: (email) => Promise.resolve(byEmail(email)),
    findById: (id) => Promise.resolve(byId.get(id) ?? null),
    updatePasswordHash(id, passwordHash) {
      const user = byId.get(id)
      if (user) byId.set(id, { ...user, passwordHash })
      return Promise.resolve()
    },
    list: () => [...byId.values()],
  }
}
