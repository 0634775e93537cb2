-- Takes the oldest job of the highest non-empty priority and makes it active under a lease: the move from the
-- pending list to the active set is atomic, so a job is always in exactly one of them.
-- KEYS[1..3]  pending lists high, normal, low        KEYS[4..6]  active sets high, normal, low (score: lease end)
-- KEYS[7]     wake-up signal list
-- ARGV[1]     job key prefix   ARGV[2] events channel   ARGV[3] consumer id   ARGV[4] lease in ms
-- Returns {id, type, priority index, attempts, maxAttempts, payload, replyTo, claim} or nil when all are empty.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
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
      local job = redis.call('HMGET', key, 'type', 'maxAttempts', 'payload', 'replyTo')
      local replyTo = (job[4] and job[4] ~= '') and ('"' .. job[4] .. '"') or 'null'
      redis.call('PUBLISH', ARGV[2], '{"v":' .. v .. ',"id":"' .. id .. '","status":"active","replyTo":' .. replyTo ..
        ',"event":{"event":"job","id":"' .. id .. '","type":"' .. job[1] .. '","status":"active","attempts":' ..
        attempts .. ',"result":null,"error":null}}')
      return {id, job[1], p, attempts, job[2], job[3] or '', job[4] or '', v}
    end
  end
end
-- nothing is waiting: markers left by jobs that draining workers took would only cause empty wake-ups
redis.call('DEL', KEYS[7])
return nil
