-- A consumer's heartbeat, once a second: records that it is alive and extends the lease of each job it is still
-- working on (only while it holds the job's claim). Then, as every consumer does, it puts back in line the retries
-- that are due and the jobs whose lease ran out (their worker died or stalled): such a job counts the lost attempt
-- and is queued again, or is dead if none is left. Doing this here keeps it off the per-job path (claim.lua).
-- KEYS[1] consumers sorted set (score: last heartbeat)   KEYS[2..4] pending lists high, normal, low
-- KEYS[5..7] active sets   KEYS[8..10] retry sets   KEYS[11..13] dead sets   KEYS[14] wake-up signal list
-- ARGV[1..2] events channel, publish command (see prelude.lua)   ARGV[3] job key prefix   ARGV[4] consumer id
-- ARGV[5] lease ms   ARGV[6] forget consumers silent for this many ms   ARGV[7] retention of a dead job in ms
-- ARGV[8..] three per job: priority index, id, claim
-- Returns {leases extended, retries put back in line, {type, priority index, …} of each job taken back}.
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[6]))
local extended = 0
for i = 8, #ARGV, 3 do
  local id = ARGV[i + 1]
  if redis.call('HGET', ARGV[3] .. id, 'claim') == ARGV[i + 2] then
    extended = extended + redis.call('ZADD', KEYS[4 + tonumber(ARGV[i])], 'XX', 'CH', now + tonumber(ARGV[5]), id)
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
        'createdAt', 'startedAt')
      reclaimed[#reclaimed + 1] = f[5]
      reclaimed[#reclaimed + 1] = p
      local attempts = tonumber(f[1])
      local err = 'lease expired: consumer ' .. (f[3] or '?') .. ' stopped during attempt ' .. attempts
      local errors = (f[4] and f[4] ~= '') and cjson.decode(f[4]) or {}
      errors[#errors + 1] = err
      local status = attempts < tonumber(f[2]) and 'failed' or 'dead'
      local v = redis.call('HINCRBY', key, 'v', 1)
      redis.call('HSET', key, 'status', status, 'error', err, 'errors', cjson.encode(errors))
      redis.call('HDEL', key, 'claim', 'consumer')
      if status == 'failed' then
        redis.call('RPUSH', KEYS[1 + p], id) -- it has waited long enough: next in line
        queued = queued + 1
      else
        redis.call('HSET', key, 'finishedAt', now)
        redis.call('ZADD', KEYS[10 + p], now, id)
        if tonumber(ARGV[7]) > 0 then
          redis.call('PEXPIRE', key, ARGV[7])
        end
      end
      publish(id, v, status, f[6], f[7], f[8], now, event(id, f[5], status, attempts, err))
    end
  end
end
-- wake as many blocked workers as there are jobs back in line
local markers = {}
for i = 1, math.min(forwarded + queued, 64) do
  markers[i] = '1'
end
if #markers > 0 then
  redis.call('LPUSH', KEYS[14], unpack(markers))
end
return {extended, forwarded, reclaimed}
