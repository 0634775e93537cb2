-- The second step of a tick (see Schedules.tick): moves a schedule's next run on, but only from the tick and the
-- generation the scheduler read (compare-and-set). Of schedulers racing for one tick exactly one advances it; the
-- others' jobs were replays of the first one's (the tick's idempotency key), so the tick made one job. A scheduler
-- that died between its enqueue and this step leaves the tick due: the next scheduler's enqueue is a replay, and its
-- advance records the job.
-- KEYS[1] the schedule's hash   KEYS[2] due set (name -> next run, ms)
-- ARGV[1] name   ARGV[2] generation read   ARGV[3] tick read (its next run, ms)   ARGV[4] new next run (ms; '' none)
-- ARGV[5] outcome: 'run' (a job), 'overlap' (skipped: the previous job is not final), 'missed' (skipped: missed ticks
--         with the policy skip)
-- ARGV[6] the tick's job id ('' when skipped)
-- Returns 1 when advanced; 0 when the schedule changed meanwhile (advanced by another scheduler, replaced, deleted).
local state = redis.call('HMGET', KEYS[1], 'gen', 'next', 'paused')
if state[1] ~= ARGV[2] or state[2] ~= ARGV[3] then
  return 0
end
redis.call('HSET', KEYS[1], 'lastTick', ARGV[3], 'lastOutcome', ARGV[5])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'lastRun', ARGV[3], 'lastJob', ARGV[6])
  redis.call('HINCRBY', KEYS[1], 'runs', 1)
else
  redis.call('HINCRBY', KEYS[1], 'skipped', 1)
end
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], 'next')
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
redis.call('HSET', KEYS[1], 'next', ARGV[4])
if state[3] ~= '1' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
end
return 1
