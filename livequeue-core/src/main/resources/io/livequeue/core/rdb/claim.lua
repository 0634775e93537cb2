-- Takes the oldest job of the highest non-empty priority and makes it active under a lease. On the way, for each
-- priority, it moves retries that are due back to their pending list and takes back jobs whose lease ran out (their
-- worker died or stalled): such a job counts the lost attempt and is queued again, or is dead if none is left.
-- The move from pending to active is atomic, so a job is always in exactly one list or set.
-- KEYS[1..3]   pending lists high, normal, low      KEYS[4..6]   active sets (score: end of lease)
-- KEYS[7..9]   retry sets (score: due time)         KEYS[10..12] dead sets (score: time of death)
-- KEYS[13]     wake-up signal list
-- ARGV[1] job key prefix   ARGV[2] events channel   ARGV[3] consumer id   ARGV[4] lease ms
-- ARGV[5] retention of a dead job in ms (0: forever)
-- Returns {id, type, priority index, attempts, maxAttempts, payload, replyTo, claim} or nil when all are empty.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)

local function publish(key, id, v, status, attempts, err)
  local f = redis.call('HMGET', key, 'type', 'replyTo')
  local replyTo = (f[2] and f[2] ~= '') and ('"' .. f[2] .. '"') or 'null'
  redis.call('PUBLISH', ARGV[2], '{"v":' .. v .. ',"id":"' .. id .. '","status":"' .. status .. '","replyTo":' ..
    replyTo .. ',"event":{"event":"job","id":"' .. id .. '","type":"' .. f[1] .. '","status":"' .. status ..
    '","attempts":' .. attempts .. ',"result":null,"error":' .. (err and cjson.encode(err) or 'null') .. '}}')
end

for p = 1, 3 do
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6 + p], '-inf', now, 'LIMIT', 0, 100)) do
    redis.call('ZREM', KEYS[6 + p], id)
    redis.call('LPUSH', KEYS[p], id)
  end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3 + p], '-inf', now, 'LIMIT', 0, 100)) do
    redis.call('ZREM', KEYS[3 + p], id)
    local key = ARGV[1] .. id
    if redis.call('EXISTS', key) == 1 then
      local f = redis.call('HMGET', key, 'attempts', 'maxAttempts', 'consumer', 'errors')
      local attempts = tonumber(f[1])
      local err = 'lease expired: consumer ' .. (f[3] or '?') .. ' stopped during attempt ' .. attempts
      local errors = (f[4] and f[4] ~= '') and cjson.decode(f[4]) or {}
      errors[#errors + 1] = err
      local status = attempts < tonumber(f[2]) and 'failed' or 'dead'
      local v = redis.call('HINCRBY', key, 'v', 1)
      redis.call('HSET', key, 'status', status, 'error', err, 'errors', cjson.encode(errors))
      redis.call('HDEL', key, 'claim', 'consumer')
      if status == 'failed' then
        redis.call('RPUSH', KEYS[p], id) -- it has waited long enough: next in line
      else
        redis.call('HSET', key, 'finishedAt', now)
        redis.call('ZADD', KEYS[9 + p], now, id)
        if tonumber(ARGV[5]) > 0 then
          redis.call('PEXPIRE', key, ARGV[5])
        end
      end
      publish(key, id, v, status, attempts, err)
    end
  end
end

for p = 1, 3 do
  while true do
    local id = redis.call('RPOP', KEYS[p])
    if not id then
      break
    end
    local key = ARGV[1] .. id
    -- an id whose hash has gone (expired or deleted by an operator) is dropped, not run blind
    if redis.call('EXISTS', key) == 1 then
      redis.call('ZADD', KEYS[3 + p], now + tonumber(ARGV[4]), id)
      local attempts = redis.call('HINCRBY', key, 'attempts', 1)
      local v = redis.call('HINCRBY', key, 'v', 1)
      redis.call('HSET', key, 'status', 'active', 'startedAt', now, 'consumer', ARGV[3], 'claim', v)
      publish(key, id, v, 'active', attempts, nil)
      local job = redis.call('HMGET', key, 'type', 'maxAttempts', 'payload', 'replyTo')
      return {id, job[1], p, attempts, job[2], job[3] or '', job[4] or '', v}
    end
  end
end
-- nothing is waiting: markers left by jobs that draining workers took would only cause empty wake-ups
redis.call('DEL', KEYS[13])
return nil
