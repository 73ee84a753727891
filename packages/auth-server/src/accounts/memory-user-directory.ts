import type { DirectoryUser, LinkedAccount, NewDirectoryUser, UserDirectory } from '../core/user-directory.js'

/** A user held by {@link createMemoryUserDirectory}. */
export interface MemoryUser extends DirectoryUser {
  passwordHash: string | null
  emailVerified: boolean
  passwordSetAt: number | null
}

/** A directory in memory with every optional method, and ways to seed it. */
export interface MemoryUserDirectory extends Required<Omit<UserDirectory, 'updatePasswordHash'>> {
  updatePasswordHash(id: string, passwordHash: string): Promise<void>
  /** Adds (or replaces, by id) a user; roles default to `['member']`. */
  add(user: Partial<MemoryUser> & { id: string; email: string }): MemoryUser
  /** Links a provider to a user (what an OAuth `findOrCreate` hook would record). */
  link(id: string, provider: string, linkedAt?: number): void
  /** Every user, by id: the stored objects themselves, for assertions. */
  readonly users: ReadonlyMap<string, MemoryUser>
}

const normalise = (email: string) => email.normalize('NFKC').trim().toLowerCase()

/**
 * A complete {@link UserDirectory} in memory — create, verify, set passwords, linked accounts,
 * change the address, delete — for development and tests. It lives in this package, not in the testing kit, because a
 * development server (the demo, a prototype) uses it at run time; one process only, gone on
 * restart. Lookups return copies.
 *
 * @default now Date.now
 * @example
 * ```ts
 * import { createAuth, createMemoryUserDirectory } from '@acme/auth-server'
 *
 * const users = createMemoryUserDirectory()
 * users.add({ id: 'u-ada', email: 'ada@example.com', name: 'Ada', passwordHash: await passwords.hash('…') })
 * const auth = createAuth({ users, accounts: { mailer, links }, … })
 * ```
 */
export function createMemoryUserDirectory(options: { now?: () => number; newId?: () => string } = {}): MemoryUserDirectory {
  const now = options.now ?? Date.now
  const newId = options.newId ?? (() => `u-${crypto.randomUUID()}`)
  const users = new Map<string, MemoryUser>()
  const links = new Map<string, Map<string, number>>()
  const byEmail = (email: string) => [...users.values()].find((user) => user.email === normalise(email))
  const copy = (user: MemoryUser | undefined): MemoryUser | null => (user ? { ...user, roles: [...user.roles] } : null)

  const directory: MemoryUserDirectory = {
    users,
    add(input) {
      const user: MemoryUser = {
        name: input.email,
        roles: ['member'],
        passwordHash: null,
        emailVerified: true,
        passwordSetAt: input.passwordHash ? now() : null,
        ...input,
        email: normalise(input.email),
      }
      users.set(user.id, user)
      return user
    },
    link(id, provider, linkedAt = now()) {
      if (!users.has(id)) throw new TypeError(`no user ${id}`)
      let mine = links.get(id)
      if (!mine) links.set(id, (mine = new Map<string, number>()))
      mine.set(provider, linkedAt)
    },
    findByEmail: (email) => Promise.resolve(typeof email === 'string' ? copy(byEmail(email)) : null),
    findById: (id) => Promise.resolve(copy(users.get(id))),
    updatePasswordHash(id, passwordHash) {
      const user = users.get(id)
      if (user) user.passwordHash = passwordHash
      return Promise.resolve()
    },
    create(input: NewDirectoryUser) {
      // Synchronous check-and-insert: two sign-ups for one address cannot both create it.
      if (byEmail(input.email)) return Promise.resolve(null)
      const user = directory.add({ ...input, id: newId(), roles: ['member'], passwordSetAt: now() })
      return Promise.resolve(copy(user))
    },
    markEmailVerified(id, email) {
      const user = users.get(id)
      if (user && user.email === normalise(email)) user.emailVerified = true
      return Promise.resolve()
    },
    setPasswordHash(id, passwordHash) {
      const user = users.get(id)
      if (user) Object.assign(user, { passwordHash, passwordSetAt: passwordHash === null ? null : now() })
      return Promise.resolve()
    },
    listAccounts(id) {
      const mine = links.get(id) ?? new Map<string, number>()
      return Promise.resolve([...mine].map(([provider, linkedAt]): LinkedAccount => ({ provider, linkedAt })))
    },
    unlinkAccount(id, provider) {
      return Promise.resolve(links.get(id)?.delete(provider) ?? false)
    },
    changeEmail(id, newEmail) {
      // Synchronous check-and-write, like create: two changes to one address cannot both win.
      const user = users.get(id)
      const taken = byEmail(newEmail)
      if (!user || (taken && taken.id !== id)) return Promise.resolve(false)
      Object.assign(user, { email: normalise(newEmail), emailVerified: true })
      return Promise.resolve(true)
    },
    delete(id) {
      users.delete(id)
      links.delete(id)
      return Promise.resolve()
    },
  }
  return Object.freeze(directory)
}
