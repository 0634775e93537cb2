-- A scheduler's look at the recurring schedules (see Schedules.due): the time on the Redis clock, the earliest next
-- run, and the schedules due by now with what a tick needs of each, in one round trip. Reads only.
-- KEYS[1] due set (name -> next run, ms)
-- ARGV[1] the schedules' hash key prefix (<prefix>:{schedules}:schedule:, the same slot)   ARGV[2] most due returned
-- Returns {now, earliest next run ('' when no schedule is due ever), then per due schedule, earliest first:
-- name, spec, gen, next, createdAt, lastJob ('' when none)}
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local reply = {now, ''}
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then
  return reply
end
reply[2] = first[2]
local due = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
for _, name in ipairs(due) do
  local s = redis.call('HMGET', ARGV[1] .. name, 'spec', 'gen', 'next', 'createdAt', 'lastJob')
  reply[#reply + 1] = name
  for i = 1, 5 do
    reply[#reply + 1] = s[i] or ''
  end
end
return reply
