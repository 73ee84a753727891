// Lua for the Redis second-factor store. A user's TOTP factor, recovery codes and passkeys share
// the `{mf:<userTag>}` hash tag and a pending sign-in has a key of its own, so every script
// touches ONE slot and runs on Redis Cluster. Numbers stay strings from ARGV when written back
// (Lua would print a 13-digit number as 1.8e+12).

/** KEYS: totp. ARGV: sealed, createdAt → 1 stored as pending, 0 when an active factor exists. */
export const totpSavePendingScript = `
if redis.call('HGET', KEYS[1], 'st') == 'active' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 's', ARGV[1], 'st', 'pending', 'c', ARGV[2], 'f', '', 'l', '')
return 1
`

/** KEYS: totp. ARGV: sealed, step, now → 1 when the pending factor with that secret became active. */
export const totpActivateScript = `
local t = redis.call('HMGET', KEYS[1], 'st', 's')
if t[1] ~= 'pending' or t[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'st', 'active', 'f', ARGV[3], 'l', ARGV[2])
return 1
`

/** KEYS: totp. ARGV: step → 1 when the active factor's last used step was below it (now it is this one). */
export const totpClaimScript = `
local t = redis.call('HMGET', KEYS[1], 'st', 'l')
if t[1] ~= 'active' then return 0 end
if t[2] and t[2] ~= '' and tonumber(t[2]) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'l', ARGV[1])
return 1
`

/** KEYS: recovery set. ARGV: hashes… → replaces the set. */
export const recoveryReplaceScript = `
redis.call('DEL', KEYS[1])
if #ARGV > 0 then redis.call('SADD', KEYS[1], unpack(ARGV)) end
return 1
`

/**
 * A user's passkeys are one hash: field <id> holds the fixed parts as JSON, <id>:c the counter,
 * <id>:b backed up, <id>:u last used, <id>:n the name (credential ids are base64url: no ':').
 * KEYS: passkeys. ARGV: id, expectedCounter, counter, backedUp, lastUsedAt → 1 when applied.
 */
export const passkeyUseScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[1] .. ':c') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1] .. ':c', ARGV[3], ARGV[1] .. ':b', ARGV[4], ARGV[1] .. ':u', ARGV[5])
return 1
`

/** KEYS: passkeys. ARGV: id, name → 1 when renamed. */
export const passkeyRenameScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1] .. ':n', ARGV[2])
return 1
`

/** KEYS: passkeys. ARGV: id → 1 when deleted. */
export const passkeyDeleteScript = `
local id = ARGV[1]
return redis.call('HDEL', KEYS[1], id, id .. ':c', id .. ':b', id .. ':u', id .. ':n') > 0 and 1 or 0
`

/** KEYS: pending. ARGV: now → the new attempt count, or -1 when the record is gone or expired. */
export const pendingAttemptScript = `
local e = redis.call('HGET', KEYS[1], 'e')
if not e or tonumber(e) <= tonumber(ARGV[1]) then return -1 end
return redis.call('HINCRBY', KEYS[1], 'a', 1)
`

/** KEYS: pending. ARGV: now → the record's HGETALL when it was live, {} otherwise; deleted either way. */
export const pendingConsumeScript = `
local r = redis.call('HGETALL', KEYS[1])
if #r == 0 then return {} end
redis.call('DEL', KEYS[1])
local e
for i = 1, #r, 2 do if r[i] == 'e' then e = r[i + 1] end end
if not e or tonumber(e) <= tonumber(ARGV[1]) then return {} end
return r
`

/**
 * A user's trusted devices are one hash: field <id> holds the fixed parts as JSON, <id>:e the
 * expiry, <id>:u the last use (ids are base64url: no ':'). Saving drops the user's expired devices
 * and stretches the key's TTL (garbage collection only) to the latest expiry plus the slack.
 * KEYS: devices. ARGV: id, fixed JSON, expiresAt, now, slackMs.
 */
export const deviceSaveScript = `
local now = tonumber(ARGV[4])
local all = redis.call('HGETALL', KEYS[1])
local latest = tonumber(ARGV[3])
for i = 1, #all, 2 do
  local field = all[i]
  if string.sub(field, -2) == ':e' then
    local e = tonumber(all[i + 1])
    local id = string.sub(field, 1, -3)
    if e <= now then redis.call('HDEL', KEYS[1], id, id .. ':e', id .. ':u')
    elseif e > latest then latest = e end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], ARGV[1] .. ':e', ARGV[3], ARGV[1] .. ':u', '')
redis.call('PEXPIRE', KEYS[1], string.format('%d', latest - now + tonumber(ARGV[5])))
return 1
`

/** KEYS: devices. ARGV: id, now → 1 when the live device's last use is now. */
export const deviceTouchScript = `
local e = redis.call('HGET', KEYS[1], ARGV[1] .. ':e')
if not e or tonumber(e) <= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1] .. ':u', ARGV[2])
return 1
`

/** KEYS: devices. ARGV: id → 1 when deleted. */
export const deviceDeleteScript = `
local id = ARGV[1]
return redis.call('HDEL', KEYS[1], id, id .. ':e', id .. ':u') > 0 and 1 or 0
`

/** KEYS: devices → how many devices there were; all gone. */
export const deviceDeleteAllScript = `
local n = redis.call('HLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return math.floor(n / 3)
`
