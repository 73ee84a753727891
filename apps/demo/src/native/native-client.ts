/**
 * The demo's native client: what a mobile or desktop app does with Acme Auth. It keeps no cookie;
 * it signs in for a token pair, calls the upstream API with the access token as a Bearer header,
 * rotates at `POST /auth/token`, and signs out with `POST /auth/revoke` (RFC 7009).
 */
export interface NativeTokens {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: 'Bearer'
}

export interface NativeClientOptions {
  /** The web app's origin (`/auth/*`). */
  origin: string
  /** The upstream API's base URL (`/me`, `/notes`). */
  upstream: string
  fetch?: typeof fetch
}

export class NativeClientError extends Error {
  override readonly name = 'NativeClientError'
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`request failed with ${status}`)
  }
}

export interface NativeClient {
  /** Signs in with a password; the client holds the pair in memory. */
  signIn(email: string, password: string): Promise<NativeTokens>
  /** `GET <upstream>/me` with the access token. */
  me(): Promise<Record<string, unknown>>
  /** Rotates the pair at `POST /auth/token`. */
  refresh(): Promise<NativeTokens>
  /** Ends the family and its session at `POST /auth/revoke`; forgets the tokens. */
  signOut(): Promise<void>
  /** The pair held now (for tests and debugging). */
  readonly tokens: NativeTokens | undefined
}

export function createNativeClient(options: NativeClientOptions): NativeClient {
  const send = options.fetch ?? fetch
  let tokens: NativeTokens | undefined

  const expectOk = async (answer: Response) => {
    if (answer.ok) return answer
    const body: unknown = answer.headers.get('content-type')?.includes('json') ? await answer.json() : await answer.text()
    throw new NativeClientError(answer.status, body)
  }
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  const held = () => {
    if (!tokens) throw new Error('not signed in')
    return tokens
  }

  return {
    get tokens() {
      return tokens
    },
    async signIn(email, password) {
      const answer = await expectOk(
        await send(`${options.origin}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password, client: 'native' }),
        }),
      )
      tokens = (await answer.json()) as NativeTokens
      return tokens
    },
    async me() {
      const answer = await expectOk(await send(`${options.upstream}/me`, { headers: { authorization: `Bearer ${held().access_token}` } }))
      return (await answer.json()) as Record<string, unknown>
    },
    async refresh() {
      const answer = await expectOk(
        await send(`${options.origin}/auth/token`, form({ grant_type: 'refresh_token', refresh_token: held().refresh_token })),
      )
      tokens = (await answer.json()) as NativeTokens
      return tokens
    },
    async signOut() {
      await expectOk(await send(`${options.origin}/auth/revoke`, form({ token: held().refresh_token, token_type_hint: 'refresh_token' })))
      tokens = undefined
    },
  }
}
