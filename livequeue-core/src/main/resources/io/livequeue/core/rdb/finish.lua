-- Records the outcome of one attempt, if the caller still holds the job's claim, and publishes the event the worker
-- built. completed: result stored. failed: retried after ARGV[8] ms (via the retry set) or at once. dead: into the
-- dead set. queued: the attempt is handed back uncounted (the consumer is stopping) and the job is next in line.
-- Every error is also appended to the job's error history.
-- KEYS[1] job hash   KEYS[2] its active set   KEYS[3] its pending list   KEYS[4] its dead set
-- KEYS[5] signal list   KEYS[6] its retry set
-- ARGV[1] events channel   ARGV[2] claim   ARGV[3] status: completed | failed | dead | queued
-- ARGV[4] result (raw JSON or '')   ARGV[5] error (or '')   ARGV[6] the client event JSON
-- ARGV[7] retention of a finished job in ms (0: forever)   ARGV[8] retry delay in ms
-- Returns 1 when recorded, 0 when the claim is no longer the caller's (nothing is changed then).
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[2] then
  return 0
end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local id = redis.call('HGET', KEYS[1], 'id')
local status = ARGV[3]
local retention = tonumber(ARGV[7])
redis.call('ZREM', KEYS[2], id)
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'status', status, 'result', ARGV[4], 'error', ARGV[5])
redis.call('HDEL', KEYS[1], 'claim', 'consumer')
if ARGV[5] ~= '' then
  local history = redis.call('HGET', KEYS[1], 'errors')
  local errors = (history and history ~= '') and cjson.decode(history) or {}
  errors[#errors + 1] = ARGV[5]
  redis.call('HSET', KEYS[1], 'errors', cjson.encode(errors))
end
if status == 'failed' and tonumber(ARGV[8]) > 0 then
  redis.call('ZADD', KEYS[6], now + tonumber(ARGV[8]), id)
elseif status == 'failed' or status == 'queued' then
  if status == 'queued' then
    redis.call('HINCRBY', KEYS[1], 'attempts', -1)
    redis.call('RPUSH', KEYS[3], id)
  else
    redis.call('LPUSH', KEYS[3], id)
  end
  redis.call('LPUSH', KEYS[5], '1')
else
  redis.call('HSET', KEYS[1], 'finishedAt', now)
  if status == 'dead' then
    redis.call('ZADD', KEYS[4], now, id)
    if retention > 0 then
      redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - retention)
    end
  end
  if retention > 0 then
    redis.call('PEXPIRE', KEYS[1], retention)
  end
end
local replyTo = redis.call('HGET', KEYS[1], 'replyTo')
replyTo = (replyTo and replyTo ~= '') and ('"' .. replyTo .. '"') or 'null'
redis.call('PUBLISH', ARGV[1], '{"v":' .. v .. ',"id":"' .. id .. '","status":"' .. status .. '","replyTo":' .. replyTo ..
  ',"event":' .. ARGV[6] .. '}')
return 1
