// Lua for the Redis session store. Every script touches keys of ONE hash slot: a session key and
// its user's index share the `{tag}` derived from the user id, so the scripts run on Redis Cluster.
// Sessions are JSON strings (see redis-session-codec.ts).

/** KEYS: session, user index. ARGV: id, ttlMs, indexScore, now, indexTtlMs, json. */
export const createScript = `
redis.call('SET', KEYS[1], ARGV[6], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return 1
`

/**
 * KEYS: session. ARGV: expectedSecretHash or '', ttlMs or '', patch JSON → 1 applied, 0 not.
 * A compare-and-set on the secret hash when one is expected (rotation).
 */
export const updateScript = `
local json = redis.call('GET', KEYS[1])
if not json then return 0 end
local record = cjson.decode(json)
if ARGV[1] ~= '' and record.h ~= ARGV[1] then return 0 end
for name, value in pairs(cjson.decode(ARGV[3])) do record[name] = value end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
end
return 1
`

/** KEYS: session, user index. ARGV: id, owner user id → 1 deleted, 0 not. */
export const deleteScript = `
local json = redis.call('GET', KEYS[1])
if not json or cjson.decode(json).u ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`

/** KEYS: user index. ARGV: session key prefix (same slot), except id or '' → deleted ids. */
export const deleteAllScript = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local deleted = {}
for _, id in ipairs(ids) do
  if id ~= ARGV[2] then
    if redis.call('DEL', ARGV[1] .. id) == 1 then deleted[#deleted + 1] = id end
    redis.call('ZREM', KEYS[1], id)
  end
end
return deleted
`

/** KEYS: user index. ARGV: session key prefix (same slot), now → flat [id, json, id, json, …]. */
export const listScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local json = redis.call('GET', ARGV[1] .. id)
  if json then
    out[#out + 1] = id
    out[#out + 1] = json
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
`
