-- An operator's pause, resume or delete of a recurring schedule (see Schedules). A paused schedule leaves the due set
-- (no scheduler looks at it) and keeps its hash; resume puts it back with a next run the caller computed from now,
-- so the ticks it was paused for do not run.
-- KEYS[1] the schedule's hash   KEYS[2] due set (name -> next run, ms)   KEYS[3] names (name -> createdAt, ms)
-- ARGV[1] name   ARGV[2] 'pause', 'resume' or 'delete'
-- ARGV[3] (resume) the next run (ms; '' none)   ARGV[4] (resume) the generation it was computed for
-- Returns 0 when there is no such schedule; 1 when done (also for a pause of a paused or a resume of a running one);
-- -1 (resume) when the schedule was replaced since the caller read it (read again and retry).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if ARGV[2] == 'delete' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
elseif ARGV[2] == 'pause' then
  redis.call('HSET', KEYS[1], 'paused', 1)
  redis.call('ZREM', KEYS[2], ARGV[1])
elseif ARGV[2] == 'resume' then
  local state = redis.call('HMGET', KEYS[1], 'gen', 'paused')
  if state[2] ~= '1' then
    return 1
  end
  if state[1] ~= ARGV[4] then
    return -1
  end
  redis.call('HSET', KEYS[1], 'paused', 0)
  if ARGV[3] == '' then
    redis.call('HDEL', KEYS[1], 'next')
  else
    redis.call('HSET', KEYS[1], 'next', ARGV[3])
    redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  end
end
return 1
