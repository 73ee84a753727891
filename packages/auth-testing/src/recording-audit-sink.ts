import type { AuditEvent, AuditEventType, AuditSink } from '@acme/auth-core'

/** An {@link AuditSink} that keeps what it receives, for assertions. */
export interface RecordingAuditSink extends AuditSink {
  /** Every event this sink received, oldest first. */
  readonly events: readonly AuditEvent[]
  /** The events of one type. */
  ofType(type: AuditEventType): AuditEvent[]
  /** Forgets this sink's events (the process-wide registry keeps them for the end-of-run check). */
  clear(): void
}

/** A place in an audit event where a secret showed up. */
export interface AuditSecretFinding {
  /** Index of the event in the list checked. */
  index: number
  type: AuditEventType
  /** Path of the field, e.g. `data.note` or `reason`. */
  path: string
  kind: 'opaque_token' | 'jwt' | 'password_hash' | 'known_secret'
  /** The offending text, shortened so the report itself does not spread the secret. */
  excerpt: string
}

interface Registry {
  events: AuditEvent[]
  secrets: Set<string>
}

// One registry per process (per vitest worker), on globalThis so that two copies of this module
// (source and built, or two aliases) still share it.
const registryKey = Symbol.for('@acme/auth-testing/audit-registry')
function registry(): Registry {
  const holder = globalThis as { [registryKey]?: Registry }
  return (holder[registryKey] ??= { events: [], secrets: new Set() })
}

/**
 * A recording audit sink. Every event it receives is also kept in a process-wide registry, which
 * `assertNoSecretsInRecordedAuditEvents()` checks (core's vitest setup does so after every test file).
 *
 * @example
 * ```ts
 * const audit = createRecordingAuditSink()
 * const sessions = createSessionManager({ store, audit })
 * await sessions.create('u1')
 * expect(audit.ofType('SESSION_CREATED')).toHaveLength(1)
 * ```
 */
export function createRecordingAuditSink(): RecordingAuditSink {
  const events: AuditEvent[] = []
  return {
    events,
    emit(event) {
      const copy = structuredClone(event)
      events.push(copy)
      registry().events.push(copy)
    },
    ofType: (type) => events.filter((event) => event.type === type),
    clear() {
      events.length = 0
    },
  }
}

/**
 * Declares plaintext secrets (passwords, tokens) that must never appear in any audit event of this
 * test file; checked with the patterns at the end. Secrets shorter than 6 characters are ignored
 * (they would match innocent text).
 *
 * @example
 * ```ts
 * trackSecrets(password, issued.token)
 * ```
 */
export function trackSecrets(...secrets: string[]): void {
  for (const secret of secrets) if (typeof secret === 'string' && secret.length >= 6) registry().secrets.add(secret)
}

/** Every event recorded by any recording sink in this process since the last reset. */
export function recordedAuditEvents(): readonly AuditEvent[] {
  return registry().events
}

/** Empties the process-wide registry (events and tracked secrets). */
export function resetAuditRegistry(): void {
  const current = registry()
  current.events.length = 0
  current.secrets.clear()
}

const patterns: readonly { kind: AuditSecretFinding['kind']; pattern: RegExp }[] = [
  // `<id>.<secret>`: session, refresh, one-time tokens (the secret is ≥ 256 bits = 43 chars).
  { kind: 'opaque_token', pattern: /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43,}/ },
  { kind: 'jwt', pattern: /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/ },
  { kind: 'password_hash', pattern: /\$(?:argon2(?:id|i|d)|scrypt|2[abxy]|pbkdf2[a-z0-9-]*)\$/ },
]

/**
 * Looks through events for secrets: anything shaped like an opaque token, a JWT or a password
 * hash (PHC/bcrypt), and any of `secrets` verbatim (plus those given to `trackSecrets`).
 * Returns the findings; an empty array means clean.
 *
 * @default secrets [] (patterns and tracked secrets only)
 * @example
 * ```ts
 * expect(findSecretsInAuditEvents(audit.events, [password, token])).toEqual([])
 * ```
 */
export function findSecretsInAuditEvents(events: readonly AuditEvent[], secrets: Iterable<string> = []): AuditSecretFinding[] {
  const known = new Set([...registry().secrets, ...[...secrets].filter((s) => typeof s === 'string' && s.length >= 6)])
  const findings: AuditSecretFinding[] = []
  events.forEach((event, index) => {
    const visit = (value: unknown, path: string) => {
      if (typeof value === 'string') {
        for (const { kind, pattern } of patterns) {
          const match = pattern.exec(value)
          if (match) findings.push({ index, type: event.type, path, kind, excerpt: shorten(match[0]) })
        }
        for (const secret of known) {
          if (value.includes(secret)) findings.push({ index, type: event.type, path, kind: 'known_secret', excerpt: shorten(secret) })
        }
      } else if (typeof value === 'object' && value !== null) {
        for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`)
      }
    }
    visit(event, '')
  })
  return findings
}

/**
 * Throws when any event recorded in this process (see {@link createRecordingAuditSink}) holds a
 * secret. Core's vitest setup file calls it after every test file.
 *
 * @example
 * ```ts
 * afterAll(() => assertNoSecretsInRecordedAuditEvents())
 * ```
 */
export function assertNoSecretsInRecordedAuditEvents(): void {
  const findings = findSecretsInAuditEvents(registry().events)
  if (findings.length === 0) return
  const lines = findings.slice(0, 20).map((f) => `  event #${f.index} ${f.type} at ${f.path}: ${f.kind} (${f.excerpt})`)
  throw new Error(`Secrets found in ${findings.length} place(s) of recorded audit events:\n${lines.join('\n')}`)
}

const shorten = (text: string) => (text.length <= 8 ? `${text.slice(0, 2)}…` : `${text.slice(0, 6)}…(${text.length} chars)`)
