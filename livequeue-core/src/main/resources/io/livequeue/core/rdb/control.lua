-- An operator's change to a queue's flow control (see claim.lua): sets or clears fields of its meta hash, then leaves
-- wake-up markers ('r', one per waiting job, at most 64), so that workers held back by a pause or a limit start at
-- once, however long they meant to wait.
-- KEYS[1] meta hash   KEYS[2..4] pending lists high, normal, low   KEYS[5] wake-up signal list
-- ARGV[1..] field, value pairs: paused (1|0), concurrency, rate (starts per period), period (ms); '' clears a field
-- Returns the number of jobs waiting.
for i = 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[1], ARGV[i])
  else
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
local waiting = redis.call('LLEN', KEYS[2]) + redis.call('LLEN', KEYS[3]) + redis.call('LLEN', KEYS[4])
local markers = {}
for i = 1, math.min(waiting, 64) do
  markers[i] = 'r'
end
if #markers > 0 then
  redis.call('LPUSH', KEYS[5], unpack(markers))
end
return waiting
