-- A consumer's heartbeat: records that it is alive and extends the lease of each job it is still working on (only
-- while it still holds the job's claim). Jobs it stops extending are taken back by claim.lua once the lease ends.
-- KEYS[1] consumers sorted set (score: last heartbeat)   KEYS[2..4] active sets high, normal, low
-- ARGV[1] job key prefix   ARGV[2] consumer id   ARGV[3] lease ms   ARGV[4] forget consumers silent for this many ms
-- ARGV[5..] three per job: priority index, id, claim
-- Returns how many leases were extended.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[4]))
local extended = 0
for i = 5, #ARGV, 3 do
  local id = ARGV[i + 1]
  if redis.call('HGET', ARGV[1] .. id, 'claim') == ARGV[i + 2] then
    extended = extended + redis.call('ZADD', KEYS[1 + tonumber(ARGV[i])], 'XX', 'CH', now + tonumber(ARGV[3]), id)
  end
end
return extended
