-- Registers a queue at its first job, so gateways, operators and the dashboard can find every queue; keeps the number
-- of queues bounded, atomically across producers.
-- KEYS[1] registry: sorted set of queue names, scored by when each had its first job
-- ARGV[1] queue name   ARGV[2] most queues it may hold (0: no limit)
-- Returns 1 when the queue is registered (already, or now), 0 when the registry is full (nothing changed then).
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 1
end
if tonumber(ARGV[2]) > 0 and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000), ARGV[1])
return 1
