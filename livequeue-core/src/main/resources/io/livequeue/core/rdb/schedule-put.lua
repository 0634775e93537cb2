-- Creates or replaces a recurring schedule (see Schedules), in one atomic step, so that the due set always agrees with
-- the hash and every replace gets a generation of its own (racing schedulers' compare-and-set in schedule-advance.lua
-- then fails for a tick read before the replace).
-- KEYS[1] the schedule's hash   KEYS[2] due set (name -> next run, ms)   KEYS[3] names (name -> createdAt, ms)
-- ARGV[1] name   ARGV[2] spec (JSON)   ARGV[3] next run (ms)   ARGV[4] now (ms, Redis clock)
-- ARGV[5] 'create': refuse an existing name; else the createdAt the caller read before computing the next run
--         ('' when it read no schedule): the put is refused if that changed meanwhile (a delete and a create)
-- Returns {1, gen} created, {2, gen} replaced (gen grown by one, paused kept), {0, gen} exists (create),
-- {-1, 0} changed since the caller read it (read again and retry).
local createdAt = redis.call('HGET', KEYS[1], 'createdAt')
if ARGV[5] == 'create' then
  if createdAt then
    return {0, tonumber(redis.call('HGET', KEYS[1], 'gen'))}
  end
elseif (createdAt or '') ~= ARGV[5] then
  return {-1, 0}
end
if createdAt then
  local gen = redis.call('HINCRBY', KEYS[1], 'gen', 1)
  redis.call('HSET', KEYS[1], 'spec', ARGV[2], 'next', ARGV[3], 'updatedAt', ARGV[4])
  if redis.call('HGET', KEYS[1], 'paused') ~= '1' then
    redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  end
  return {2, gen}
end
redis.call('HSET', KEYS[1], 'spec', ARGV[2], 'gen', 1, 'next', ARGV[3], 'paused', 0, 'createdAt', ARGV[4],
  'updatedAt', ARGV[4], 'runs', 0, 'skipped', 0)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return {1, 1}
