-- A consumer's heartbeat, once a second: records that it is alive and extends the lease of each job it is still
-- working on (only while it holds the job's claim). Then, as every consumer does, it puts back in line the retries
-- that are due and the jobs whose lease ran out (their worker died or stalled): such a job counts the lost attempt
-- and is queued again, or is dead if none is left (cancelled, if its cancellation was asked for). Doing this here keeps
-- it off the per-job path (claim.lua). It also moves due scheduled jobs to their line (claim.lua does too, for the
-- worker woken at their due time: this is the safety net) and tells the consumer which of its jobs were cancelled
-- (the cancel channel tells it at once: this is the safety net for a message it missed).
-- KEYS[1] consumers sorted set (score: last heartbeat)   KEYS[2..4] pending lists high, normal, low
-- KEYS[5..7] active sets   KEYS[8..10] retry sets   KEYS[11..13] dead sets   KEYS[14] wake-up signal list
-- KEYS[15] scheduled set
-- ARGV[1..2] events channel, publish command (see prelude.lua)   ARGV[3] job key prefix   ARGV[4] consumer id
-- ARGV[5] lease ms   ARGV[6] forget consumers silent for this many ms   ARGV[7] retention of a dead job in ms
-- ARGV[8..] three per job: priority index, id, claim
-- Returns {leases extended, retries and scheduled jobs put in line, {type, priority index, …} of each job taken
-- back, {ids of this consumer's jobs whose cancellation was asked for}, when the earliest scheduled job is due (0:
-- none)}.
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[6]))
local extended, cancelled = 0, {}
for i = 8, #ARGV, 3 do
  local id = ARGV[i + 1]
  local f = redis.call('HMGET', ARGV[3] .. id, 'claim', 'cancel')
  if f[1] == ARGV[i + 2] then
    extended = extended + redis.call('ZADD', KEYS[4 + tonumber(ARGV[i])], 'XX', 'CH', now + tonumber(ARGV[5]), id)
    if f[2] then
      cancelled[#cancelled + 1] = id
    end
  end
end

local reclaimed, forwarded, queued = {}, 0, 0
for p = 1, 3 do
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[7 + p], '-inf', now, 'LIMIT', 0, 100)) do
    redis.call('ZREM', KEYS[7 + p], id)
    redis.call('LPUSH', KEYS[1 + p], id)
    forwarded = forwarded + 1
  end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4 + p], '-inf', now, 'LIMIT', 0, 100)) do
    redis.call('ZREM', KEYS[4 + p], id)
    local key = ARGV[3] .. id
    if redis.call('EXISTS', key) == 1 then
      local f = redis.call('HMGET', key, 'attempts', 'maxAttempts', 'consumer', 'errors', 'type', 'replyTo',
        'createdAt', 'startedAt', 'cancel')
      reclaimed[#reclaimed + 1] = f[5]
      reclaimed[#reclaimed + 1] = p
      local attempts = tonumber(f[1])
      local err = 'lease expired: consumer ' .. (f[3] or '?') .. ' stopped during attempt ' .. attempts
      local errors = (f[4] and f[4] ~= '') and cjson.decode(f[4]) or {}
      errors[#errors + 1] = err
      local status = f[9] and 'cancelled' or attempts < tonumber(f[2]) and 'failed' or 'dead'
      local v = redis.call('HINCRBY', key, 'v', 1)
      redis.call('HSET', key, 'status', status, 'error', err, 'errors', cjson.encode(errors))
      redis.call('HDEL', key, 'claim', 'consumer')
      if status == 'failed' then
        redis.call('RPUSH', KEYS[1 + p], id) -- it has waited long enough: next in line
        queued = queued + 1
      else
        redis.call('HSET', key, 'finishedAt', now)
        if status == 'dead' then
          redis.call('ZADD', KEYS[10 + p], now, id)
        end
        if tonumber(ARGV[7]) > 0 then
          redis.call('PEXPIRE', key, ARGV[7])
        end
      end
      publish(id, v, status, f[6], f[7], f[8], now, event(id, f[5], status, attempts, err))
    end
  end
end
local retention = tonumber(ARGV[7])
forwarded = forwarded + forward_due(KEYS[15], {KEYS[2], KEYS[3], KEYS[4]}, {KEYS[11], KEYS[12], KEYS[13]}, ARGV[3],
  retention)
-- wake as many blocked workers as there are jobs back in line
local markers = {}
for i = 1, math.min(forwarded + queued, 64) do
  markers[i] = '1'
end
if #markers > 0 then
  redis.call('LPUSH', KEYS[14], unpack(markers))
end
return {extended, forwarded, reclaimed, cancelled, next_due(KEYS[15])}
