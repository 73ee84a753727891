import { Linter, RuleTester } from 'eslint'
import tseslint from 'typescript-eslint'
import { afterAll, describe, expect, it } from 'vitest'
import { defineEslintConfig } from '../eslint.js'
import { namesSecret, noSecretEquality } from './no-secret-equality.js'

// RuleTester reports through whatever test framework it is handed.
RuleTester.describe = describe
RuleTester.it = it
RuleTester.itOnly = it.only
RuleTester.afterAll = afterAll

const ruleTester = new RuleTester({ languageOptions: { parser: tseslint.parser } })
const error = (name, operator = '===') => ({ messageId: 'secretEquality', data: { name, operator } })

ruleTester.run('no-secret-equality', noSecretEquality, {
  valid: [
    // The compare the rule asks for.
    'if (!timingSafeEqual(record.secretHash, secretHash)) return null',
    // Presence and kind checks: one side is public by construction.
    'if (token === undefined) return null',
    'if (patch.secretHash !== undefined) out.h = patch.secretHash',
    'if (verified.newHash !== null) save()',
    "if (typeof secret !== 'string') throw new TypeError('secret')",
    "if (password === '') return false",
    'if (token == null) return',
    'const empty = signature === ``',
    'if (parsed.digest === void 0) return',
    'if (token === true) return',
    // Facts about a secret, not the secret: the name's head word is not a secret word.
    'if (secret.length !== secretLength) return null',
    'if (token.length !== TOKEN_ID_LENGTH + 1 + SECRET_LENGTH) return null',
    'if (decodeBase64Url(secret)?.length !== SESSION_SECRET_BYTES) return null',
    'if (family.currentTokenId === token.id) rotate()',
    'if (token.status === current) rotate()',
    'if (claims.tokenType !== expectedType) reject()',
    'if (options.hashAlgorithm === other.hashAlgorithm) same()',
    'if (parsePhc(hash)?.id !== argon2id) return false',
    'if (readerOf(hash) !== primary) rehash()',
    'if (passwordPolicy === defaultPolicy) skip()',
    'if (this.#tokenCount === max) evict()',
    'if (macAddress === other) same()',
    'if (machine === other) same()',
    "if (node.tag === 'div') render()",
    'if (tags === previousTags) return',
    'if (circuit.state === previous.state) return',
    // Collections (plural) compare by identity, which leaks nothing about their contents.
    'if (tokens === previousTokens) return',
    // Not an equality.
    'if (token.expiresAt > now) keep()',
  ],
  invalid: [
    // The bug this rule exists for: a stored hash against the hash of what the client sent.
    { code: 'if (record.secretHash === secretHash) return record', errors: [error('secretHash')] },
    { code: 'if (token.secretHash !== request.secretHash) return null', errors: [error('secretHash', '!==')] },
    { code: 'const ok = csrfToken == header', errors: [error('csrfToken', '==')] },
    { code: 'const bad = expected != token', errors: [error('token', '!=')] },
    { code: 'if (this.#held.get(name)?.token === token) release()', errors: [error('token')] },
    { code: 'if (headers["x-csrf-token"] === cookie) pass()', errors: [error('x-csrf-token')] },
    { code: 'if (expectedMac !== mac) throw new Error()', errors: [error('expectedMac', '!==')] },
    { code: 'if (computeHmac(body) === header) pass()', errors: [error('computeHmac')] },
    { code: 'if (sig === expected) pass()', errors: [error('sig')] },
    // The HMAC tag of an account token, and an OAuth state held under a secret's name.
    { code: 'return user && tagOf(user.email) === tag ? user : null', errors: [error('tag')] },
    { code: 'if (tx.state !== stateToken) reject()', errors: [error('stateToken', '!==')] },
    { code: 'return mac === sign(binding, nonce)', errors: [error('mac')] },
    { code: "if (headerToken !== cookieToken) return 'token-mismatch'", errors: [error('headerToken', '!==')] },
    { code: 'if (jwt.signature === other) pass()', errors: [error('signature')] },
    { code: 'if (await digest(a) === b) pass()', errors: [error('digest')] },
    { code: 'if (user.password === input) signIn()', errors: [error('password')] },
    { code: 'if (claims.nonce !== tx.nonce) reject()', errors: [error('nonce', '!==')] },
    { code: 'if (codeVerifier === stored) pass()', errors: [error('codeVerifier')] },
    { code: 'if (API_SECRET === provided) pass()', errors: [error('API_SECRET')] },
    // How a secret is spelled does not change what it is.
    { code: 'if (tokenValue === other) pass()', errors: [error('tokenValue')] },
    { code: 'if (signatureHex === other) pass()', errors: [error('signatureHex')] },
    // TypeScript wrappers are looked through.
    { code: 'if ((record!.secretHash as string) === presented) pass()', errors: [error('secretHash')] },
  ],
})

describe('namesSecret', () => {
  it('decides by the head word of the name', () => {
    expect(['secret', 'secretHash', 'refreshToken', 'idToken', 'HMAC', 'x-csrf-token', 'PASSWORD_HASH', 'tag', 'stateToken'].filter(namesSecret)).toHaveLength(9)
    expect(['secretLength', 'tokenType', 'currentTokenId', 'hashes', 'keySecretId', 'macAddress', 'passwordHashedAt', 'value', 'tagOf', 'state'].some(namesSecret)).toBe(false)
  })
})

describe('defineEslintConfig', () => {
  // Only the entries that bring in the plugin, plus a parser: the type-checked presets need a real
  // tsconfig, which these snippets do not have. The file globs and ignores are the real ones.
  const lint = (options, filename) => {
    const entries = defineEslintConfig('/pkg', options).filter((entry) => entry.plugins?.acme !== undefined)
    const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...entries]
    return new Linter({ cwd: '/pkg' }).verify('if (record.secretHash === secretHash) pass()', config, `/pkg/${filename}`)
  }

  it('turns the rule on for the sources of security-critical packages, not for their tests or other packages', () => {
    expect(lint({ securityCritical: true }, 'src/sessions/store.ts').map((message) => message.ruleId)).toEqual(['acme/no-secret-equality'])
    expect(lint({ securityCritical: true }, 'src/sessions/store.test.ts')).toEqual([])
    expect(lint({ securityCritical: true }, 'test/helpers.ts')).toEqual([])
    expect(lint({}, 'src/sessions/store.ts')).toEqual([])
  })
})
