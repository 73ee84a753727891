// Forbids `===`, `!==`, `==` and `!=` on values named like secrets. JavaScript's string equality
// stops at the first differing character, so the time it takes tells an attacker how much of a
// guess was right; secrets are compared with `timingSafeEqual` (core's lib/crypto.ts) instead.
//
// The heuristic, chosen so that it flags what it should in this codebase and nothing else:
//
// 1. An operand's *name* is the identifier (`token`), the member's property (`record.secretHash`,
//    `this.#token`, `headers['csrf-token']`) or the called function (`hash(a)`), looking through
//    `?.`, `!`, `as`, `satisfies` and `await`. Anything else (a literal, an object, arithmetic) has
//    no name and is never a secret.
// 2. The name is split into words (camelCase, PascalCase, snake_case, SCREAMING_CASE, kebab-case)
//    and its *head* — the last word, the noun the name is about — decides. `secretHash`,
//    `expectedMac`, `refreshToken`, `signature` are secrets; `currentTokenId`, `tokenType`,
//    `secretLength`, `SESSION_SECRET_BYTES`, `hashAlgorithm`, `passwordPolicy`, `token.status`,
//    `secret.length` are facts *about* one and compare freely. Words that only say how a secret is
//    spelled (`Value`, `String`, `Text`, `Hex`, `Base64`, `Encoded`, `Raw`, …) are skipped first, so
//    `tokenValue` and `signatureHex` still count.
// 3. Secret head words: secret, hash, token, mac, hmac, tag (an authentication tag is a MAC),
//    signature, sig, digest, password, passwd, passphrase, nonce, verifier, otp. Singular only: a plural names a collection, and `===` on one
//    is an identity check. `key` is left out on purpose: here it names map, cache and Redis keys far
//    more often than key material, which is compared through crypto APIs anyway; `state` too (OAuth's
//    `state` is a CSRF token, but the word names state machines far more often), so code that holds
//    a secret under such a name calls it `stateToken`, `mac`, … where it compares it.
// 4. A comparison is exempt when either side is a literal (`'string'`, `0`, `true`, `null`, a
//    template without `${}`), `undefined`, `void …` or a `typeof …`: presence and kind checks
//    (`token === undefined`, `typeof secret !== 'string'`, `password === ''`) reveal nothing.
//
// It does not see equality through `switch`, `Object.is`, `includes` or `Map`/`Set` lookups; code
// review and the timing test of `timingSafeEqual` cover those.

const secretWords = new Set([
  'secret', 'hash', 'token', 'mac', 'hmac', 'tag', 'signature', 'sig', 'digest',
  'password', 'passwd', 'passphrase', 'nonce', 'verifier', 'otp',
])

// How a secret is written down, not what it is: skipped when looking for the head word.
const spellingWords = new Set(['value', 'string', 'str', 'text', 'hex', 'b64', 'base64', 'base64url', 'encoded', 'raw'])

/** `secretHash` → ['secret', 'hash'], `SESSION_SECRET_BYTES` → ['session', 'secret', 'bytes']. */
function wordsOf(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
}

/** Whether a name is about a secret (its head word is one), per the rules above. */
export function namesSecret(name) {
  const words = wordsOf(name)
  while (words.length > 1 && spellingWords.has(words.at(-1))) words.pop()
  return words.length > 0 && secretWords.has(words.at(-1))
}

const wrappers = new Set(['ChainExpression', 'TSNonNullExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'AwaitExpression'])

/** The name an operand goes by, or undefined when it has none. */
function nameOf(node) {
  while (wrappers.has(node.type)) node = node.expression ?? node.argument
  switch (node.type) {
    case 'Identifier':
      return node.name
    case 'MemberExpression':
      if (!node.computed && (node.property.type === 'Identifier' || node.property.type === 'PrivateIdentifier')) return node.property.name
      if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value
      return undefined
    case 'CallExpression':
      return nameOf(node.callee)
    default:
      return undefined
  }
}

/** A side whose value is public by construction: comparing with it is a presence or kind check. */
function isPublicValue(node) {
  while (wrappers.has(node.type)) node = node.expression ?? node.argument
  if (node.type === 'Literal') return true
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0
  if (node.type === 'Identifier') return node.name === 'undefined'
  if (node.type === 'UnaryExpression') return node.operator === 'typeof' || node.operator === 'void'
  return false
}

const operators = new Set(['===', '!==', '==', '!='])

/** @type {import('eslint').Rule.RuleModule} */
export const noSecretEquality = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow ===/!== on secrets, hashes, tokens and MACs; use a constant-time timingSafeEqual instead.',
    },
    schema: [],
    messages: {
      secretEquality:
        "'{{name}}' looks like a secret: `{{operator}}` stops at the first differing character, so its timing leaks how much of a guess is right. Compare with timingSafeEqual() instead.",
    },
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (!operators.has(node.operator)) return
        if (isPublicValue(node.left) || isPublicValue(node.right)) return
        const name = [nameOf(node.left), nameOf(node.right)].find((candidate) => candidate !== undefined && namesSecret(candidate))
        if (name !== undefined) context.report({ node, messageId: 'secretEquality', data: { name, operator: node.operator } })
      },
    }
  },
}

export default noSecretEquality
