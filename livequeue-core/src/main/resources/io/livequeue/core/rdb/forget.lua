-- Deletes a dead job: its id leaves the dead set and its hash is removed.
-- KEYS[1] job hash   KEYS[2..4] dead sets high, normal, low
-- ARGV[1] job id
-- Returns 1 when a dead job was deleted, 0 when the job is not dead (nothing is changed then).
for p = 2, 4 do
  if redis.call('ZREM', KEYS[p], ARGV[1]) == 1 then
    redis.call('DEL', KEYS[1])
    return 1
  end
end
return 0
