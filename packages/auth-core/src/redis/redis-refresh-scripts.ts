// Lua for the Redis refresh store: a port of refresh/rotation-decision.ts. A user's families,
// their tokens, index and locks share the `{rf:<userTag>}` hash tag, so every script touches ONE
// slot and runs on Redis Cluster. Times stay strings from ARGV when written back (Lua would print
// a 13-digit number as 1.8e+12).

/** KEYS: family, first token, user index. ARGV: ttlMs, absoluteExpiresAt, now, familyId, nFamilyFields, family field/value…, token field/value… */
export const refreshCreateScript = `
local n = tonumber(ARGV[5])
redis.call('HSET', KEYS[1], unpack(ARGV, 6, 5 + n))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 6 + n))
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[3], ARGV[1]) end
return 1
`

/**
 * KEYS: presented token, family, successor token.
 * ARGV: tokenId, secretHash, now, graceMs, concurrentSince, idleExpiresAt, successorId ('' = none),
 *       successorHash, sealedSuccessor (the successor lives as long as its family)
 * → { kind, detail, revokedNow, family HGETALL }
 */
export const refreshRotateScript = `
local t = redis.call('HMGET', KEYS[1], 'secretHash', 'status', 'rotatedAt', 'successorId', 'sealedSuccessor')
if not t[1] or t[1] ~= ARGV[2] then return {'invalid'} end
local f = redis.call('HMGET', KEYS[2], 'status', 'absoluteExpiresAt', 'idleExpiresAt', 'currentTokenId')
if not f[1] then return {'invalid'} end
local now = tonumber(ARGV[3])
if f[1] == 'revoked' then return {'reused', 'revoked', '0', redis.call('HGETALL', KEYS[2])} end
if now >= tonumber(f[2]) or now >= tonumber(f[3]) then return {'expired', '', '0', redis.call('HGETALL', KEYS[2])} end
if t[2] == 'current' and f[4] == ARGV[1] then
  if ARGV[7] == '' then return {'invalid'} end
  redis.call('HSET', KEYS[1], 'status', 'rotated', 'rotatedAt', ARGV[3], 'successorId', ARGV[7], 'sealedSuccessor', ARGV[9])
  redis.call('HSET', KEYS[3], 'familyId', redis.call('HGET', KEYS[1], 'familyId'), 'secretHash', ARGV[8], 'status', 'current',
    'createdAt', ARGV[3], 'rotatedAt', '', 'successorId', '', 'sealedSuccessor', '')
  redis.call('PEXPIRE', KEYS[3], math.max(1, math.floor(tonumber(f[2]) - now)))
  local idle = ARGV[6]
  if tonumber(idle) > tonumber(f[2]) then idle = f[2] end
  redis.call('HSET', KEYS[2], 'currentTokenId', ARGV[7], 'lastUsedAt', ARGV[3], 'idleExpiresAt', idle)
  return {'rotated', '', '0', redis.call('HGETALL', KEYS[2])}
end
local rotatedAt = tonumber(t[3])
if rotatedAt and t[4] == f[4] and t[5] and t[5] ~= '' and ((tonumber(ARGV[4]) > 0 and now - rotatedAt <= tonumber(ARGV[4])) or rotatedAt >= tonumber(ARGV[5])) then
  return {'replayed', t[5], '0', redis.call('HGETALL', KEYS[2])}
end
redis.call('HSET', KEYS[2], 'status', 'revoked', 'revokedAt', ARGV[3], 'revokedReason', 'reuse')
return {'reused', 'rotated', '1', redis.call('HGETALL', KEYS[2])}
`

/** KEYS: family. ARGV: now, reason → the family's HGETALL when this call revoked it, else {}. */
export const refreshRevokeScript = `
local f = redis.call('HMGET', KEYS[1], 'status', 'absoluteExpiresAt')
if not f[1] or f[1] == 'revoked' or tonumber(ARGV[1]) >= tonumber(f[2]) then return {} end
redis.call('HSET', KEYS[1], 'status', 'revoked', 'revokedAt', ARGV[1], 'revokedReason', ARGV[2])
return redis.call('HGETALL', KEYS[1])
`

/** KEYS: user index. ARGV: family key prefix (same slot), now, reason → HGETALLs of families revoked now. */
export const refreshRevokeAllScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. id
  local f = redis.call('HMGET', key, 'status', 'absoluteExpiresAt')
  if not f[1] then
    redis.call('ZREM', KEYS[1], id)
  elseif f[1] ~= 'revoked' and tonumber(ARGV[2]) < tonumber(f[2]) then
    redis.call('HSET', key, 'status', 'revoked', 'revokedAt', ARGV[2], 'revokedReason', ARGV[3])
    out[#out + 1] = redis.call('HGETALL', key)
  end
end
return out
`

/**
 * KEYS: user index. ARGV: family key prefix (same slot), now, roles JSON → how many live families
 * now carry the roles. They go in their own `roles` field, which overrides `grant.roles` on read
 * (no JSON rewriting in Lua: cjson would turn an empty array into an object).
 */
export const refreshUpdateRolesScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local updated = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. id
  local f = redis.call('HMGET', key, 'status', 'absoluteExpiresAt', 'idleExpiresAt')
  if not f[1] then
    redis.call('ZREM', KEYS[1], id)
  elseif f[1] ~= 'revoked' and tonumber(ARGV[2]) < tonumber(f[2]) and tonumber(ARGV[2]) < tonumber(f[3]) then
    redis.call('HSET', key, 'roles', ARGV[3])
    updated = updated + 1
  end
end
return updated
`
