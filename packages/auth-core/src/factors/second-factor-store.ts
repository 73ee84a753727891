/** A user's TOTP factor. The secret is sealed (`v1.<secretId>.<iv>.<ciphertext>`), never stored in clear. */
export interface TotpFactorRecord {
  userId: string
  /** The Base32 secret in the key ring's versioned envelope, bound to `userId`. */
  sealedSecret: string
  /** `pending` from enrollment until a first code confirms it; only `active` factors sign anyone in. */
  status: 'pending' | 'active'
  createdAt: number
  confirmedAt: number | null
  /**
   * The used-code marker: the last time step whose code was accepted. A code of this step or an
   * earlier one is refused (RFC 6238 §5.2: a code is accepted once), on every instance.
   */
  lastUsedStep: number | null
}

/** A WebAuthn credential (passkey) as stored: its public key, never anything secret. */
export interface PasskeyRecord {
  /** The credential id, base64url. Unique across users. */
  id: string
  userId: string
  /** The COSE public key, base64url. */
  publicKey: string
  /** The signature counter last seen; a lower one later means a cloned authenticator. */
  counter: number
  /** `AuthenticatorTransportFuture` values the browser reported (`internal`, `hybrid`, `usb`, …). */
  transports: string[]
  /** `multiDevice` when the credential can be synced (backup eligible). */
  deviceType: 'singleDevice' | 'multiDevice'
  /** Whether the credential is backed up now (BS flag). */
  backedUp: boolean
  /** A name the user can change ("MacBook", "YubiKey"). */
  name: string
  createdAt: number
  lastUsedAt: number | null
}

/** What a sign-in changes on a passkey. */
export interface PasskeyUse {
  counter: number
  backedUp: boolean
  lastUsedAt: number
}

/** A factor a user has proven, and when (epoch ms). `method` is an RFC 8176 value (`pwd`, `otp`, `hwk`, …). */
export interface CompletedFactor {
  method: string
  at: number
}

/**
 * The state between a first factor and the second: the server-side half of the `__Host-mfa`
 * cookie. Keyed by the SHA-256 of the cookie's token (a leaked store holds no usable cookie).
 */
export interface PendingMfaRecord {
  /** SHA-256 of the pending token. */
  id: string
  userId: string
  /** The factors proven so far, in order (the first factor first). */
  completed: CompletedFactor[]
  /** The second factors the user may answer with (`totp`, `recovery`, `passkey`). */
  methods: string[]
  /** How the first factor signed in (`password`, `oauth:demo`, …): the session's `authLevel` if no second factor followed. */
  authLevel: string
  /** Wrong answers so far. */
  attempts: number
  createdAt: number
  expiresAt: number
}

/**
 * A browser the user asked to remember after a second factor ("remember this device"): the
 * server-side half of the `__Host-device` cookie. It is NOT a factor: it only lets the gate skip
 * the challenge for this user, until `expiresAt` or until it is forgotten.
 */
export interface TrustedDeviceRecord {
  /** Public id (base64url, no `.`): what the devices page lists and deletes; the cookie names it too. */
  id: string
  userId: string
  /** SHA-256 of the cookie's secret half (a leaked store holds no usable cookie). */
  secretHash: string
  /** A coarse name from the user agent ("Chrome on macOS"), never the full string. */
  label: string
  createdAt: number
  expiresAt: number
  lastUsedAt: number | null
}

/**
 * Where second factors live: TOTP factors (sealed secrets and used-code markers), recovery-code
 * hashes, passkey credentials, pending sign-ins and trusted devices. Each operation is atomic on one user (or one
 * pending record), and time is always passed in, so a test clock drives every implementation.
 * Memory: {@link MemorySecondFactorStore}; Redis: `RedisSecondFactorStore` from
 * `@acme/auth-core/redis`; PostgreSQL: `PostgresSecondFactorStore` from `@acme/auth-core/postgres`.
 * Run `runSecondFactorStoreConformance()` from `@acme/auth-testing/conformance` against any implementation.
 */
export interface SecondFactorStore {
  /** The user's TOTP factor (pending or active), or `null`. */
  getTotp(userId: string): Promise<TotpFactorRecord | null>
  /**
   * Stores a `pending` factor, replacing a pending one, unless an `active` factor exists (then
   * nothing changes and `false` is returned: enrollment cannot silently replace a working factor).
   */
  savePendingTotp(record: TotpFactorRecord): Promise<boolean>
  /**
   * Makes the pending factor with exactly this `sealedSecret` active, with `lastUsedStep = step`
   * (the confirming code is used up). `false` when there is none (a newer enrollment replaced it).
   */
  activateTotp(userId: string, sealedSecret: string, step: number, now: number): Promise<boolean>
  /**
   * The used-code marker, set atomically: `true` (and `lastUsedStep = step`) only when the user
   * has an active factor whose `lastUsedStep` is below `step`. Of concurrent callers with one
   * step, exactly one gets `true`.
   */
  claimTotpStep(userId: string, step: number): Promise<boolean>
  /** Removes the user's TOTP factor; whether one existed. */
  deleteTotp(userId: string): Promise<boolean>

  /** Replaces every recovery code of the user with these hashes (none: `[]`). */
  replaceRecoveryCodes(userId: string, codeHashes: readonly string[], now: number): Promise<void>
  /** Removes one code by hash: of concurrent callers with one code, exactly one gets `true`. */
  consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean>
  /** How many unused codes the user has. */
  countRecoveryCodes(userId: string): Promise<number>

  /** Stores a new credential; `false` (and nothing stored) when its id is already registered. */
  savePasskey(record: PasskeyRecord): Promise<boolean>
  /** A credential by id (a discoverable sign-in knows no user yet), or `null`. */
  getPasskey(credentialId: string): Promise<PasskeyRecord | null>
  /** The user's credentials, oldest first. */
  listPasskeys(userId: string): Promise<PasskeyRecord[]>
  /**
   * Records a sign-in with the credential, if it belongs to `userId` and its counter is still
   * `expectedCounter` (compare-and-set: two sign-ins racing with one assertion cannot both pass).
   */
  updatePasskeyUse(userId: string, credentialId: string, expectedCounter: number, use: PasskeyUse): Promise<boolean>
  /** Renames the user's credential; whether it exists. */
  renamePasskey(userId: string, credentialId: string, name: string): Promise<boolean>
  /** Deletes the user's credential; whether it existed. */
  deletePasskey(userId: string, credentialId: string): Promise<boolean>

  /** Stores a new pending sign-in. It must disappear by itself after `expiresAt`. */
  savePending(record: PendingMfaRecord, now: number): Promise<void>
  /** The pending sign-in, or `null` when unknown or expired at `now`. */
  getPending(id: string, now: number): Promise<PendingMfaRecord | null>
  /** Counts one wrong answer atomically; the new count, or `null` when the record is gone or expired. */
  addPendingAttempt(id: string, now: number): Promise<number | null>
  /** Removes and returns the live record: of concurrent callers exactly one receives it (single use). */
  consumePending(id: string, now: number): Promise<PendingMfaRecord | null>

  /** Stores a new trusted device of `record.userId`. It must disappear by itself after `expiresAt`. */
  saveTrustedDevice(record: TrustedDeviceRecord, now: number): Promise<void>
  /** The user's trusted device with this id, or `null` when unknown, another user's, or expired at `now`. */
  getTrustedDevice(userId: string, id: string, now: number): Promise<TrustedDeviceRecord | null>
  /** Sets `lastUsedAt = now` on the user's live trusted device; whether it exists. */
  touchTrustedDevice(userId: string, id: string, now: number): Promise<boolean>
  /** The user's live trusted devices at `now`, oldest first. */
  listTrustedDevices(userId: string, now: number): Promise<TrustedDeviceRecord[]>
  /** Forgets one of the user's trusted devices; whether it existed (another user's id: `false`, nothing removed). */
  deleteTrustedDevice(userId: string, id: string): Promise<boolean>
  /** Forgets every trusted device of the user, atomically; how many there were. */
  deleteTrustedDevices(userId: string): Promise<number>
}
