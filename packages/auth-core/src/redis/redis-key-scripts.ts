// Lua for the Redis key store (and the compare-and-delete lock release the refresh store shares).
// Each script touches one key, so it runs on Redis Cluster as is.

/** KEYS: ring hash. ARGV: expected version, keys JSON → 1 written, 0 another writer won. */
export const keyRingCompareAndSetScript = `
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', version + 1, 'keys', ARGV[2])
return 1
`

/** KEYS: lock. ARGV: holder token → 1 released, 0 not ours (expired and taken by another). */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`
