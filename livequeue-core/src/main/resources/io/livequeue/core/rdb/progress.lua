-- Records a running attempt's progress report and publishes it as a job event (status active) with a version of its
-- own, so that every gateway forwards it once and in order; only while the caller still holds the job's claim (a
-- report that arrives after the outcome, or from an attempt whose lease ran out, changes nothing).
-- KEYS[1] job hash
-- ARGV[1..2] events channel, publish command (see prelude.lua)   ARGV[3] claim   ARGV[4] progress JSON
-- ({"percent":n,"data":…})   ARGV[5] the client event without "v" (see JobEvent)
-- Returns 1 when recorded, 0 when the claim was lost.
local f = redis.call('HMGET', KEYS[1], 'claim', 'id', 'replyTo', 'createdAt', 'startedAt', 'v', 'status')
if f[1] ~= ARGV[3] or f[7] ~= 'active' then
  return 0
end
local v = tonumber(f[6]) + 1
redis.call('HSET', KEYS[1], 'progress', ARGV[4], 'v', v)
publish(f[2], v, 'active', f[3], f[4], f[5], 0, ARGV[5])
return 1
