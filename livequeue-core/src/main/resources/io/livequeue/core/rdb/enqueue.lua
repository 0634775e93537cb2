-- Stores new jobs and puts them in their priority list, or, when they are due later, in the scheduled set: one call,
-- atomic, for one job or a batch.
-- KEYS[1..3]  pending lists high, normal, low        KEYS[4]  wake-up signal list
-- KEYS[5]     idempotency key of the request (unused when ARGV[4] is 0)
-- KEYS[6]     inbox log: a stream of (job id, inbox) pairs kept ARGV[5] ms, read by gateways catching up
-- KEYS[7..9]  retry sets high, normal, low (their jobs count as waiting too)
-- KEYS[10]    scheduled set (score: due time; its jobs count as waiting too)
-- KEYS[10+i]  hash of the i-th job
-- ARGV[1..2]  events channel, publish command (see prelude.lua)   ARGV[3]  max waiting jobs (0: no limit)
-- ARGV[4]     how long the idempotency key is remembered, in ms (0: the request has none)
-- ARGV[5]     how long the inbox log keeps an entry, in ms (0: no log)
-- ARGV[6]     the jobs' owner ('' for the anonymous caller: no field is written)
-- ARGV[7]     the request's fingerprint, remembered with the idempotency key
-- ARGV[8..]   eight per job: id, type, priority index (1..3), maxAttempts, payload (raw JSON or ''), replyTo (or ''),
--             runAt and expiresAt, each '' (none), '+ms' (after now, on this clock) or epoch ms
-- Returns {1, now-ms} when stored; {0, waiting} when the jobs would exceed the limit (then nothing is stored);
-- {2, receipt} when the idempotency key was seen before: nothing new is stored, and the receipt of the first
-- request is returned, 'r1 <fingerprint> <createdAt>\n<id> <type> <priority index>[ <runAt>],…' (runAt only for a job
-- that was scheduled; before receipts existed the value was 'id,id,…', which may still be there for up to a TTL after
-- an upgrade).
local n = (#ARGV - 7) / 8
if ARGV[4] ~= '0' then
  local first = redis.call('GET', KEYS[5])
  if first then
    return {2, first}
  end
end
local limit = tonumber(ARGV[3])
if limit > 0 then
  local waiting = redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2]) + redis.call('LLEN', KEYS[3])
    + redis.call('ZCARD', KEYS[7]) + redis.call('ZCARD', KEYS[8]) + redis.call('ZCARD', KEYS[9])
    + redis.call('ZCARD', KEYS[10])
  if waiting + n > limit then
    return {0, waiting}
  end
end

local function instant(arg)
  if arg == '' then
    return nil
  elseif string.sub(arg, 1, 1) == '+' then
    return now + tonumber(string.sub(arg, 2))
  end
  return tonumber(arg)
end

local owner = ARGV[6]
local priorities = {'high', 'normal', 'low'}
local receipt = {}
local lines = {{}, {}, {}} -- ids joining each pending list, pushed with one LPUSH per priority in the same order
local inboxes = {}
local due = {} -- score, id pairs joining the scheduled set
local earliest = 0
for i = 0, n - 1 do
  local a = 8 + i * 8
  local id, jobType, p, replyTo = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), ARGV[a + 5]
  local runAt, expiresAt = instant(ARGV[a + 6]), instant(ARGV[a + 7])
  local status = (runAt and runAt > now) and 'scheduled' or 'queued'
  local fields = {'id', id, 'type', jobType, 'status', status, 'priority', priorities[p], 'attempts', 0,
    'maxAttempts', ARGV[a + 3], 'payload', ARGV[a + 4], 'replyTo', replyTo, 'createdAt', now, 'v', 1}
  if owner ~= '' then
    fields[#fields + 1] = 'owner'
    fields[#fields + 1] = owner
  end
  if expiresAt then
    fields[#fields + 1] = 'expiresAt'
    fields[#fields + 1] = expiresAt
  end
  if status == 'scheduled' then
    fields[#fields + 1] = 'runAt'
    fields[#fields + 1] = runAt
    due[#due + 1] = runAt
    due[#due + 1] = id
    receipt[i + 1] = id .. ' ' .. jobType .. ' ' .. p .. ' ' .. runAt
    if earliest == 0 or runAt < earliest then
      earliest = runAt
    end
  else
    lines[p][#lines[p] + 1] = id
    receipt[i + 1] = id .. ' ' .. jobType .. ' ' .. p
  end
  redis.call('HSET', KEYS[11 + i], unpack(fields))
  -- only an inbox can be listening before the producer has answered, so only then is the first event worth a message
  if replyTo ~= '' then
    publish(id, 1, status, replyTo, now, 0, 0, event(id, jobType, status, 0, nil, status == 'scheduled' and runAt))
    inboxes[#inboxes + 1] = id .. ' ' .. replyTo
  end
end
log_inboxes(KEYS[6], ARGV[5], inboxes)
for p = 1, 3 do
  if #lines[p] > 0 then
    redis.call('LPUSH', KEYS[p], unpack(lines[p]))
  end
end
-- one marker per job wakes one blocked worker each; more markers than workers would only be dropped later
local wake = math.min(n - #due / 2, 64)
if #due > 0 then
  -- a job due before every other scheduled one: one marker, so that an idle consumer learns the new earliest due
  -- time from its claim and sets its timer to it
  local before = next_due(KEYS[10])
  if before == 0 or earliest < before then
    wake = wake + 1
  end
  redis.call('ZADD', KEYS[10], unpack(due))
end
if wake > 0 then
  local markers = {}
  for i = 1, wake do
    markers[i] = '1'
  end
  redis.call('LPUSH', KEYS[4], unpack(markers))
end
if ARGV[4] ~= '0' then
  redis.call('SET', KEYS[5], 'r1 ' .. ARGV[7] .. ' ' .. now .. '\n' .. table.concat(receipt, ','), 'PX', ARGV[4])
end
return {1, now}
