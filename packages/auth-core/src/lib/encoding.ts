// base64url without padding (RFC 4648 §5), on Web APIs only so core runs on edge runtimes too.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const lookup = new Int16Array(128).fill(-1)
for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i

export function encodeBase64Url(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]!
  }
  return out
}

/** Decodes strict base64url (no padding, no other characters); returns `null` for anything else. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let buffer = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const value = code < 128 ? lookup[code]! : -1
    if (value < 0) return null
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >> bits) & 0xff
    }
  }
  // Non-canonical trailing bits would let two strings decode to one value.
  if ((buffer & ((1 << bits) - 1)) !== 0) return null
  return out
}

/**
 * Whether `text` is what {@link decodeBase64Url} accepts for exactly `byteLength` bytes, decided
 * without decoding (nothing allocated: session tokens are checked on every request).
 */
export function isBase64UrlOfBytes(text: string, byteLength: number): boolean {
  if (text.length !== Math.ceil((byteLength * 8) / 6)) return false
  let last = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    last = code < 128 ? lookup[code]! : -1
    if (last < 0) return false
  }
  // Non-canonical trailing bits would let two strings decode to one value.
  const spareBits = text.length * 6 - byteLength * 8
  return (last & ((1 << spareBits) - 1)) === 0
}

const encoder = new TextEncoder()
// Node's lib types encode() as Uint8Array<ArrayBuffer> and the DOM lib as Uint8Array<ArrayBufferLike>;
// packages compile this file under both, so the assertion is needed under one and idle under the other.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text) as Uint8Array<ArrayBuffer>
