import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { encodeCbor, type CborValue } from './cbor.js'

/** Options of {@link createSoftwareAuthenticator}. */
export interface SoftwareAuthenticatorOptions {
  /** The origin the "browser" puts in `clientDataJSON` (your app's origin). */
  origin: string
  /** Whether the user is verified (PIN, biometrics): the UV flag. A passkey with UV counts as two factors. @default true */
  userVerified?: boolean
  /** A synced passkey (backup eligible and backed up: BE and BS flags). @default true */
  backedUp?: boolean
  /** How much the signature counter grows per assertion (synced passkeys often keep it at 0). @default 1 */
  counterStep?: number
}

/** What the authenticator holds for one credential (the private key stays inside). */
export interface SoftwareCredential {
  /** The credential id, base64url. */
  id: string
  rpId: string
  /** The WebAuthn user handle the RP gave at registration (base64url). */
  userHandle: string
  counter: number
}

/** Per-call changes, for testing refusals: another origin, a stale counter, a forged signature. */
export interface AssertionOverrides {
  /** `clientDataJSON.origin`. @default options.origin */
  origin?: string
  /** Which credential answers. @default the one `allowCredentials` names, else the newest for the RP ID */
  credentialId?: string
  /** The counter to sign with, instead of the next one (a cloned authenticator's). */
  counter?: number
  /** Signs with a key that is not the credential's (a forged assertion). */
  forge?: boolean
}

/** A WebAuthn authenticator in software, speaking the JSON that `@simplewebauthn/browser` sends. */
export interface SoftwareAuthenticator {
  /** `navigator.credentials.create()`: a new discoverable ES256 credential, attestation `none`. */
  register(options: PublicKeyCredentialCreationOptionsJSON, overrides?: { origin?: string }): RegistrationResponseJSON
  /** `navigator.credentials.get()`: an assertion over the options' challenge. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, overrides?: AssertionOverrides): AuthenticationResponseJSON
  /** The credentials held, oldest first. */
  readonly credentials: readonly SoftwareCredential[]
}

interface Held extends SoftwareCredential {
  privateKey: KeyObject
  cose: Uint8Array
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest())
const uint32 = (value: number) => Uint8Array.from([(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff])
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]))

// Authenticator data flags (WebAuthn §6.1): user present, user verified, backup eligible, backup state, attested data.
const UP = 0x01
const UV = 0x04
const BE = 0x08
const BS = 0x10
const AT = 0x40

/**
 * A software WebAuthn authenticator for Node tests: it answers the JSON options your server sends
 * (from `@simplewebauthn/server`'s `generateRegistrationOptions` / `generateAuthenticationOptions`)
 * with the JSON a browser would post back, so passkey flows are testable without a browser:
 * registration with attestation `none` and an ES256 (P-256) key, discoverable sign-in (no
 * `allowCredentials` needed), user verification and backup flags, a signature counter, and
 * overrides to produce what must be refused (a wrong origin, a counter regression, a forged signature).
 *
 * @example
 * ```ts
 * import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server'
 * import { createSoftwareAuthenticator } from '@acme/auth-testing'
 *
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://app.test' })
 * const options = await generateRegistrationOptions({ rpName: 'Acme', rpID: 'app.test', userName: 'alice' })
 * const response = authenticator.register(options)
 * await verifyRegistrationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: 'https://app.test', expectedRPID: 'app.test' })
 * ```
 */
export function createSoftwareAuthenticator(options: SoftwareAuthenticatorOptions): SoftwareAuthenticator {
  if (typeof options?.origin !== 'string' || !URL.canParse(options.origin)) throw new TypeError('options.origin must be an origin such as https://app.test')
  const origin = new URL(options.origin).origin
  const userVerified = options.userVerified ?? true
  const backedUp = options.backedUp ?? true
  const counterStep = options.counterStep ?? 1
  if (!Number.isInteger(counterStep) || counterStep < 0) throw new TypeError('options.counterStep must be an integer >= 0')
  const held: Held[] = []
  const flags = (extra: number) => UP | (userVerified ? UV : 0) | (backedUp ? BE | BS : 0) | extra
  const clientData = (type: 'webauthn.create' | 'webauthn.get', challenge: string, at: string) =>
    JSON.stringify({ type, challenge, origin: at, crossOrigin: false })

  return {
    register(creation, overrides = {}) {
      const rpId = creation.rp.id ?? new URL(origin).hostname
      if (!creation.pubKeyCredParams.some((param) => param.alg === -7)) throw new Error('NotSupportedError: the RP does not accept ES256')
      const excluded = new Set((creation.excludeCredentials ?? []).map((credential) => credential.id))
      if (held.some((credential) => credential.rpId === rpId && excluded.has(credential.id))) throw new Error('InvalidStateError: a credential of this authenticator is excluded')
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const jwk = publicKey.export({ format: 'jwk' })
      // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
      const cose = encodeCbor(new Map<number, CborValue>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]))
      const idBytes = new Uint8Array(randomBytes(32))
      const credential: Held = { id: b64url(idBytes), rpId, userHandle: creation.user.id, counter: 0, privateKey, cose }
      const aaguid = new Uint8Array(16)
      const attested = concat(aaguid, Uint8Array.from([idBytes.length >> 8, idBytes.length & 0xff]), idBytes, cose)
      const authData = concat(sha256(rpId), Uint8Array.from([flags(AT)]), uint32(0), attested)
      const attestationObject = encodeCbor(new Map<string, CborValue>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]))
      held.push(credential)
      return {
        id: credential.id,
        rawId: credential.id,
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', creation.challenge, overrides.origin ?? origin)),
          attestationObject: b64url(attestationObject),
          authenticatorData: b64url(authData),
          transports: ['internal', 'hybrid'],
          publicKeyAlgorithm: -7,
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        type: 'public-key',
      }
    },

    authenticate(request, overrides = {}) {
      const rpId = request.rpId ?? new URL(origin).hostname
      const allowed = new Set((request.allowCredentials ?? []).map((credential) => credential.id))
      const candidates = held.filter((credential) => credential.rpId === rpId && (allowed.size === 0 || allowed.has(credential.id)))
      const credential = overrides.credentialId === undefined ? candidates.at(-1) : held.find((candidate) => candidate.id === overrides.credentialId)
      if (!credential) throw new Error('NotAllowedError: no credential of this authenticator fits the request')
      const counter = overrides.counter ?? credential.counter + counterStep
      if (overrides.counter === undefined) credential.counter = counter
      const authData = concat(sha256(rpId), Uint8Array.from([flags(0)]), uint32(counter))
      const clientDataJSON = clientData('webauthn.get', request.challenge, overrides.origin ?? origin)
      const key = overrides.forge === true ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey : credential.privateKey
      // ES256 signatures are DER-encoded (WebAuthn §6.5.6), Node's default for EC keys.
      const signature = sign('sha256', concat(authData, sha256(clientDataJSON)), key)
      return {
        id: credential.id,
        rawId: credential.id,
        response: {
          clientDataJSON: b64url(clientDataJSON),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
          userHandle: credential.userHandle,
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        type: 'public-key',
      }
    },

    get credentials() {
      return held.map(({ id, rpId, userHandle, counter }) => ({ id, rpId, userHandle, counter }))
    },
  }
}
