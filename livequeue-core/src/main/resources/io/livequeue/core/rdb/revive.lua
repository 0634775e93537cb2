-- Gives a dead job a new life: out of its dead set, attempts back to 0, queued again (its error history is kept), with
-- the deadline ARGV[5]: none, or a new one (a job that expired would only expire again with its old one).
-- KEYS[1] job hash   KEYS[2..4] dead sets high, normal, low   KEYS[5..7] pending lists high, normal, low
-- KEYS[8] wake-up signal list   KEYS[9] inbox log
-- ARGV[1..2] events channel, publish command (see prelude.lua)   ARGV[3] job id   ARGV[4] inbox log retention ms
-- ARGV[5] the new deadline: '' (none), '+ms' (after now) or epoch ms
-- Returns 1 when the job was dead and is queued again, 0 when it is not dead (nothing is changed then).
local id = ARGV[3]
local index = {high = 1, normal = 2, low = 3}
local p = index[redis.call('HGET', KEYS[1], 'priority') or '']
if not p then
  -- the job's hash has expired: drop its id from the dead sets, there is nothing left to revive
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
  return 0
end
if redis.call('ZREM', KEYS[1 + p], id) == 0 then
  return 0
end
redis.call('PERSIST', KEYS[1])
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', 0, 'result', '', 'error', '')
redis.call('HDEL', KEYS[1], 'startedAt', 'finishedAt', 'progress', 'cancel', 'expiresAt', 'runAt')
local deadline = ARGV[5] or ''
if deadline ~= '' then
  redis.call('HSET', KEYS[1], 'expiresAt',
    string.sub(deadline, 1, 1) == '+' and (now + tonumber(string.sub(deadline, 2))) or tonumber(deadline))
end
redis.call('LPUSH', KEYS[4 + p], id)
redis.call('LPUSH', KEYS[8], '1')
local f = redis.call('HMGET', KEYS[1], 'type', 'replyTo', 'createdAt')
publish(id, v, 'queued', f[2], f[3], 0, 0, event(id, f[1], 'queued', 0, nil))
if f[2] and f[2] ~= '' then
  log_inboxes(KEYS[9], ARGV[4], {id .. ' ' .. f[2]})
end
return 1
