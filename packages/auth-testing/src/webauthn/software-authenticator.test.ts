import { MemorySecondFactorStore, type PasskeyRecord } from '@acme/auth-core'
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server'
import { describe, expect, it } from 'vitest'
import { createSoftwareAuthenticator } from './software-authenticator.js'

const origin = 'https://app.test'
const rpID = 'app.test'

async function registered(options: Parameters<typeof createSoftwareAuthenticator>[0] = { origin }) {
  const authenticator = createSoftwareAuthenticator(options)
  const creation = await generateRegistrationOptions({
    rpName: 'Acme',
    rpID,
    userName: 'alice@example.com',
    userID: new TextEncoder().encode('user-1'),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  })
  const response = authenticator.register(creation)
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: creation.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: options.userVerified ?? true,
  })
  if (!verification.verified) throw new Error('registration was not verified')
  const info = verification.registrationInfo
  const credential: WebAuthnCredential = { ...info.credential }
  return { authenticator, creation, response, info, credential }
}

const assertion = async (credential: WebAuthnCredential, response: Parameters<typeof verifyAuthenticationResponse>[0]['response'], challenge: string, requireUserVerification = true) =>
  verifyAuthenticationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, credential, requireUserVerification })

describe('createSoftwareAuthenticator', () => {
  it('registers a discoverable ES256 credential that @simplewebauthn/server verifies, with UV and backup flags', async () => {
    const { info, response } = await registered()
    expect(info.credential.id).toBe(response.id)
    expect(info.credentialDeviceType).toBe('multiDevice')
    expect(info.credentialBackedUp).toBe(true)
    expect(info.userVerified).toBe(true)
    expect(info.fmt).toBe('none')
    // What a server keeps: the second-factor store's passkey record.
    const store = new MemorySecondFactorStore()
    const record: PasskeyRecord = {
      id: info.credential.id,
      userId: 'user-1',
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: 'Test authenticator',
      createdAt: 0,
      lastUsedAt: null,
    }
    expect(await store.savePasskey(record)).toBe(true)
    expect(await store.getPasskey(response.id)).toEqual({ ...record, transports: ['internal', 'hybrid'] })
  })

  it('signs in with the discoverable credential (no allowCredentials), the user handle naming the user, the counter growing', async () => {
    const { authenticator, credential } = await registered()
    const request = await generateAuthenticationOptions({ rpID, userVerification: 'required' })
    const response = authenticator.authenticate(request)
    expect(Buffer.from(response.response.userHandle!, 'base64url').toString()).toBe('user-1')
    const verified = await assertion(credential, response, request.challenge)
    expect(verified).toMatchObject({ verified: true, authenticationInfo: { newCounter: 1, userVerified: true, credentialBackedUp: true } })
    expect(authenticator.credentials).toMatchObject([{ id: credential.id, rpId: rpID, counter: 1 }])
  })

  it('produces what a server must refuse: a wrong origin, a forged signature, a counter regression, a reused challenge answered for another', async () => {
    const { authenticator, credential } = await registered()
    const request = await generateAuthenticationOptions({ rpID })
    await expect(assertion(credential, authenticator.authenticate(request, { origin: 'https://evil.test' }), request.challenge)).rejects.toThrow(/origin/i)
    await expect(assertion(credential, authenticator.authenticate(request, { forge: true }), request.challenge)).resolves.toMatchObject({ verified: false })
    const fresh = authenticator.authenticate(request)
    const stored = { ...credential, counter: 5 } // the server has seen 5 already: 2 means a clone
    await expect(assertion(stored, fresh, request.challenge)).rejects.toThrow(/counter/i)
    const other = await generateAuthenticationOptions({ rpID })
    await expect(assertion(credential, authenticator.authenticate(request), other.challenge)).rejects.toThrow(/challenge/i)
  })

  it('without user verification the UV flag is clear, and a server that requires it refuses', async () => {
    const { authenticator, credential } = await registered({ origin, userVerified: false })
    const request = await generateAuthenticationOptions({ rpID, userVerification: 'preferred' })
    const response = authenticator.authenticate(request)
    await expect(assertion(credential, response, request.challenge, false)).resolves.toMatchObject({ authenticationInfo: { userVerified: false } })
    await expect(assertion(credential, authenticator.authenticate(request), request.challenge, true)).rejects.toThrow(/verif/i)
  })

  it('honours excludeCredentials and allowCredentials', async () => {
    const { authenticator, credential } = await registered()
    const again = await generateRegistrationOptions({ rpName: 'Acme', rpID, userName: 'alice@example.com', excludeCredentials: [{ id: credential.id }] })
    expect(() => authenticator.register(again)).toThrow(/InvalidStateError/)
    const elsewhere = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: 'c29tZW9uZS1lbHNl' }] })
    expect(() => authenticator.authenticate(elsewhere)).toThrow(/NotAllowedError/)
  })
})
