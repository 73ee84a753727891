import type { OAuthFetch } from '../oauth-options.js'

/** What every provider preset takes: the client registered at the provider. */
export interface PresetOptions {
  clientId: string
  /** Required: these presets register confidential (server-side) clients. */
  clientSecret: string
  /** Replaces the preset's default scopes (each preset documents its own). */
  scopes?: readonly string[]
  /**
   * `fetch` for every request to the provider (a proxy; in tests, a fake of the provider on
   * loopback reached through its real URLs). @default globalThis.fetch
   */
  fetch?: OAuthFetch
}

/** Fails at construction on a missing client: an unset env var must not become a public client. */
export function presetClient(preset: string, options: PresetOptions) {
  for (const key of ['clientId', 'clientSecret'] as const) {
    const value: unknown = options[key]
    if (typeof value !== 'string' || value === '') throw new TypeError(`${preset}(): options.${key} must be a non-empty string`)
  }
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    // What each provider's docs show: the secret in the token request's body.
    clientAuthentication: 'client_secret_post' as const,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }
}

/** A non-empty string claim, or `null`. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}
