-- A worker's one call per job, and a consumer's one call for many: records the outcomes of attempts that have just
-- finished (each only if the caller still holds that job's claim) and claims up to ARGV[7] next jobs of one queue, so
-- a busy consumer costs a fraction of a round trip per job.
-- Recording: completed stores the result; failed is retried after its delay (via the retry set) or at once; dead
-- goes to the dead set; cancelled is final; queued hands the attempt back uncounted (the consumer is stopping), next
-- in line. A job whose cancellation was asked for (cancel.lua) ends cancelled whatever its attempt came to, unless
-- that is completed: exactly one final state. Every error is appended to the job's error history. Finished jobs
-- expire after the retention.
-- Claiming: the oldest job of the highest non-empty priority becomes active under a lease, atomically, so a job is
-- always in exactly one list or set. A job past its deadline (expiresAt) is not run: it is dead, 'expired'. Scheduled
-- jobs that are due are first moved to the back of their line, so a worker woken at the earliest due time (the reply
-- says when that is) finds them. Due retries and expired leases are put back in line by heartbeat.lua.
-- Flow control (the queue's meta hash, set by operators): a paused queue starts nothing; with a concurrency limit at
-- most that many of its jobs are active across all consumers (a finished job leaves a wake-up marker for the next);
-- with a rate limit at most 'rate' jobs start per 'period' ms (a fixed window, the limiter key's lifetime).
-- KEYS[1..3]   pending lists high, normal, low      KEYS[4..6]   active sets (score: end of lease)
-- KEYS[7..9]   retry sets (score: due time)         KEYS[10..12] dead sets (score: time of death)
-- KEYS[13]     wake-up signal list                  KEYS[14] meta hash   KEYS[15] rate limiter
-- KEYS[16]     scheduled set (score: due time)      KEYS[16+i]   hash of the i-th finished job
-- ARGV[1..2] events channel, publish command (see prelude.lua)   ARGV[3] job key prefix   ARGV[4] consumer id
-- ARGV[5] lease ms   ARGV[6] retention of a finished job in ms (0: forever)   ARGV[7] how many jobs to claim
-- ARGV[8..] six per finished attempt: its claim, status (completed|failed|dead|queued), result (raw JSON or ''),
--           error (or ''), the client event JSON, retry delay in ms
-- Returns {now, {recorded: 1 or 0 (the claim was lost, nothing changed) per finished attempt}, throttle, next due,
-- job, job, …}: throttle is 0, or why fewer jobs than asked may have been claimed although some wait: -1 paused, -2 at
-- the concurrency limit, n > 0 the rate limit's window reopens in n ms; next due is when the earliest scheduled job
-- is due (epoch ms), 0 if none is scheduled. Each claimed job is
-- {id, type, priority index, attempts, maxAttempts, payload, replyTo, claim, createdAt}.
local index = {high = 1, normal = 2, low = 3}
local retention = tonumber(ARGV[6])

local recorded = {}
local done = {{}, {}, {}} -- ids leaving each active set, removed with one ZREM per priority
for i = 0, (#ARGV - 7) / 6 - 1 do
  local a, key = 8 + i * 6, KEYS[17 + i]
  local f = redis.call('HMGET', key, 'claim', 'id', 'priority', 'replyTo', 'createdAt', 'startedAt', 'errors', 'v',
    'attempts', 'cancel', 'type')
  recorded[i + 1] = 0
  if f[1] == ARGV[a] then
    recorded[i + 1] = 1
    local id, p, status, err, delay = f[2], index[f[3]], ARGV[a + 1], ARGV[a + 3], tonumber(ARGV[a + 5])
    local result, clientEvent = ARGV[a + 2], ARGV[a + 4]
    if f[10] and status ~= 'completed' and status ~= 'cancelled' then
      -- cancelled while it ran, and it did not complete: it ends cancelled, never retried
      status, result, err = 'cancelled', '', ''
      clientEvent = event(id, f[11], 'cancelled', tonumber(f[9]), nil)
    end
    local v = tonumber(f[8]) + 1
    -- the claim is released (emptied, in the same HSET: one call less than deleting it); 'consumer' stays as the
    -- last one that ran the job
    local fields = {'status', status, 'result', result, 'error', err, 'v', v, 'claim', ''}
    if err ~= '' then
      local errors = (f[7] and f[7] ~= '') and cjson.decode(f[7]) or {}
      errors[#errors + 1] = err
      fields[#fields + 1] = 'errors'
      fields[#fields + 1] = cjson.encode(errors)
    end
    local finishedAt = 0
    done[p][#done[p] + 1] = id
    if status == 'failed' then
      redis.call('HDEL', key, 'progress') -- the next attempt reports its own
    end
    if status == 'failed' and delay > 0 then
      redis.call('ZADD', KEYS[6 + p], now + delay, id)
      finishedAt = now
    elseif status == 'failed' then
      redis.call('LPUSH', KEYS[p], id)
      redis.call('LPUSH', KEYS[13], '1')
      finishedAt = now
    elseif status == 'queued' then
      fields[#fields + 1] = 'attempts'
      fields[#fields + 1] = tonumber(f[9]) - 1
      redis.call('RPUSH', KEYS[p], id)
      redis.call('LPUSH', KEYS[13], '1')
    else
      finishedAt = now
      fields[#fields + 1] = 'finishedAt'
      fields[#fields + 1] = now
      if status == 'dead' then
        redis.call('ZADD', KEYS[9 + p], now, id)
        if retention > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[9 + p], '-inf', now - retention)
        end
      end
      if retention > 0 then
        redis.call('PEXPIRE', key, retention)
      end
    end
    redis.call('HSET', key, unpack(fields))
    publish(id, v, status, f[4], f[5], f[6], finishedAt, clientEvent)
  end
end
for p = 1, 3 do
  if #done[p] > 0 then
    redis.call('ZREM', KEYS[3 + p], unpack(done[p]))
  end
end

local wanted = tonumber(ARGV[7])
local throttle = 0
local nextDue, forwarded = 0, 0
if wanted > 0 then
  nextDue = next_due(KEYS[16])
  if nextDue > 0 and nextDue <= now then
    forwarded = forward_due(KEYS[16], {KEYS[1], KEYS[2], KEYS[3]}, {KEYS[10], KEYS[11], KEYS[12]}, ARGV[3], retention)
    nextDue = next_due(KEYS[16])
  end
end
local meta = redis.call('HMGET', KEYS[14], 'paused', 'concurrency', 'rate', 'period')
local concurrency, rate = tonumber(meta[2] or ''), tonumber(meta[3] or '')
if concurrency and concurrency > 0 and #ARGV > 7 then
  -- slots were freed: wake as many waiting workers (of any consumer) as there are jobs for them
  local freed = math.min((#ARGV - 7) / 6, 64)
  if redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2]) + redis.call('LLEN', KEYS[3]) > 0 then
    local markers = {}
    for i = 1, freed do
      markers[i] = '1'
    end
    redis.call('LPUSH', KEYS[13], unpack(markers))
  end
end
if wanted > 0 and meta[1] == '1' then
  wanted, throttle = 0, -1
end
if wanted > 0 and concurrency and concurrency > 0 then
  local active = redis.call('ZCARD', KEYS[4]) + redis.call('ZCARD', KEYS[5]) + redis.call('ZCARD', KEYS[6])
  if active + wanted > concurrency then
    wanted, throttle = math.max(0, concurrency - active), -2
  end
end
local used = 0
if wanted > 0 and rate and rate > 0 then
  used = tonumber(redis.call('GET', KEYS[15]) or '0')
  if used + wanted >= rate then
    wanted = math.max(0, rate - used)
    if wanted == 0 then -- the window is used up; else the claims below say whether they use it up
      throttle = math.max(1, redis.call('PTTL', KEYS[15]))
    end
  end
end

local reply = {now, recorded, throttle, nextDue}
local leaseEnd = now + tonumber(ARGV[5])
local p = 1
while #reply - 4 < wanted and p <= 3 do
  local ids = redis.call('RPOP', KEYS[p], wanted - (#reply - 4))
  if not ids then
    p = p + 1
  else
    local leased = {}
    for _, id in ipairs(ids) do
      local key = ARGV[3] .. id
      local job = redis.call('HMGET', key, 'type', 'maxAttempts', 'payload', 'replyTo', 'createdAt', 'attempts', 'v',
        'expiresAt', 'status', 'errors')
      -- an id whose hash has gone (expired or deleted by an operator) is dropped, not run blind, and so is one that
      -- was cancelled; one past its deadline is dead instead
      if job[8] and tonumber(job[8]) <= now and job[9] ~= 'cancelled' then
        expire_job(key, id, KEYS[9 + p], retention, job[1], job[4], job[5], job[6], job[10], job[7])
      elseif job[1] and job[9] ~= 'cancelled' then
        local attempts, v = tonumber(job[6]) + 1, tonumber(job[7]) + 1
        redis.call('HSET', key, 'status', 'active', 'attempts', attempts, 'v', v, 'startedAt', now,
          'consumer', ARGV[4], 'claim', v)
        publish(id, v, 'active', job[4], job[5], now, 0, event(id, job[1], 'active', attempts, nil))
        reply[#reply + 1] = {id, job[1], p, attempts, job[2], job[3] or '', job[4] or '', v, job[5] or now}
        leased[#leased + 1] = leaseEnd
        leased[#leased + 1] = id
      end
    end
    if #leased > 0 then
      redis.call('ZADD', KEYS[3 + p], unpack(leased))
    end
  end
end
local claimed = #reply - 4
if rate and rate > 0 and claimed > 0 then
  if redis.call('INCRBY', KEYS[15], claimed) == claimed then
    redis.call('PEXPIRE', KEYS[15], tonumber(meta[4] or '1000'))
  end
  if used + claimed >= rate then
    reply[3] = math.max(1, redis.call('PTTL', KEYS[15]))
  end
end
if claimed < wanted or reply[3] == -1 then
  -- nothing is waiting (or nothing may start): markers left by jobs that draining workers took would only cause
  -- empty wake-ups
  redis.call('DEL', KEYS[13])
end
if forwarded > claimed and reply[3] == 0 then
  -- scheduled jobs came due beyond what this call took: wake as many other workers for them
  local markers = {}
  for i = 1, math.min(forwarded - claimed, 64) do
    markers[i] = '1'
  end
  redis.call('LPUSH', KEYS[13], unpack(markers))
end
return reply
