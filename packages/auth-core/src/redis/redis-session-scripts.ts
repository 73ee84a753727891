// Lua for the Redis session store. Every script touches keys of ONE hash slot: a session key and
// its user's index share the `{tag}` derived from the user id, so the scripts run on Redis Cluster.

/** KEYS: session, user index. ARGV: id, ttlMs, indexScore, now, indexTtlMs, field, value, … */
export const createScript = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return 1
`

/** KEYS: session. ARGV: expectedSecretHash or '', ttlMs or '', field, value, … → 1 applied, 0 not. */
export const updateScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'secretHash') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`

/** KEYS: session, user index. ARGV: id, owner user id → 1 deleted, 0 not. */
export const deleteScript = `
if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[2] then return 0 end
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

/** KEYS: user index. ARGV: session key prefix (same slot), now → flat HGETALL replies. */
export const listScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local fields = redis.call('HGETALL', ARGV[1] .. id)
  if #fields > 0 then out[#out + 1] = fields else redis.call('ZREM', KEYS[1], id) end
end
return out
`
