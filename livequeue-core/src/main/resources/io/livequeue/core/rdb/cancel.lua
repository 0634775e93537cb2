-- Cancels a job. One that waits (queued, scheduled, or failed and waiting to retry) leaves its list or set and is
-- cancelled at once, atomically: no claim can take it after this. One that runs is marked ('cancel': when it was
-- asked) and its id published on the queue's cancel channel, where the consumer running it hears it and tells the
-- handler; the attempt then ends cancelled, or completed if the handler finished first (claim.lua decides, so there
-- is exactly one final state). A final job is left as it is.
-- KEYS[1] job hash   KEYS[2..4] pending lists high, normal, low   KEYS[5] scheduled set   KEYS[6..8] retry sets
-- ARGV[1..2] events channel, publish command (see prelude.lua)   ARGV[3] job id   ARGV[4] retention of a finished
-- job in ms (0: forever)   ARGV[5] the queue's cancel channel
-- Returns {0} when there is no such job; {1, v} when it is cancelled now; {2, v} when it runs and its consumer was
-- told; {3, status} when it has a final status (or one this version does not know) and nothing was changed.
local id = ARGV[3]
local f = redis.call('HMGET', KEYS[1], 'status', 'priority', 'type', 'replyTo', 'createdAt', 'startedAt', 'attempts',
  'v', 'cancel')
local status = f[1]
if not status then
  return {0}
end
if status == 'active' then
  if not f[9] then
    redis.call('HSET', KEYS[1], 'cancel', now)
  end
  redis.call(ARGV[2], ARGV[5], id)
  return {2, tonumber(f[8])}
end
local p = ({high = 1, normal = 2, low = 3})[f[2]] or 2
if status == 'queued' then
  redis.call('LREM', KEYS[1 + p], 0, id)
elseif status == 'scheduled' then
  redis.call('ZREM', KEYS[5], id)
elseif status == 'failed' then
  -- waiting for its next attempt: in the retry set, or already back in line
  if redis.call('ZREM', KEYS[5 + p], id) == 0 then
    redis.call('LREM', KEYS[1 + p], 0, id)
  end
else
  return {3, status}
end
local v = tonumber(f[8]) + 1
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'v', v, 'finishedAt', now, 'error', '')
if tonumber(ARGV[4]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
publish(id, v, 'cancelled', f[4], f[5], f[6], now, event(id, f[3], 'cancelled', tonumber(f[7] or '0'), nil))
return {1, v}
