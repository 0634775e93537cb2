-- Prepended to every script that publishes (see LuaScript): the time on the Redis clock, and the envelope each status
-- change is published in (parsed by EventMessage). In every such script ARGV[1] is the events channel and ARGV[2]
-- the publish command: PUBLISH, or SPUBLISH on Redis Cluster (sharded pub/sub, which stays on the slot's shard).
-- A script's envelopes are collected and published when it ends (LuaScript calls flush()), up to 100 per message: a
-- lone envelope as a JSON object, several as a JSON array in the order they happened. One message per batch instead of
-- one per status change spares Redis a command and every gateway a message for each.
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local envelopes = {}

-- The client event (a JSON object, from event() below or from a consumer's JobEvent) gets the job's version appended
-- as its last field, "v", so that a client can order what it receives and drop what it already has.
local function publish(id, v, status, replyTo, createdAt, startedAt, finishedAt, event)
  envelopes[#envelopes + 1] = '{"v":' .. v .. ',"id":"' .. id .. '","status":"' .. status .. '","replyTo":' ..
    ((replyTo and replyTo ~= '') and ('"' .. replyTo .. '"') or 'null') .. ',"createdAt":' .. (createdAt or 0) ..
    ',"startedAt":' .. (startedAt or 0) .. ',"finishedAt":' .. (finishedAt or 0) .. ',"event":' ..
    string.sub(event, 1, -2) .. ',"v":' .. v .. '}}'
end

local function flush()
  if #envelopes == 1 then
    redis.call(ARGV[2], ARGV[1], envelopes[1])
  else
    for first = 1, #envelopes, 100 do
      redis.call(ARGV[2], ARGV[1], '[' .. table.concat(envelopes, ',', first, math.min(first + 99, #envelopes)) .. ']')
    end
  end
end

-- the client event of a change that carries no handler result (see JobEvent); publish() appends its "v". A
-- scheduled job's event carries its due time, runAt.
local function event(id, jobType, status, attempts, err, runAt)
  return '{"event":"job","id":"' .. id .. '","type":"' .. jobType .. '","status":"' .. status .. '","attempts":' ..
    attempts .. ',"result":null,"error":' .. (err and cjson.encode(err) or 'null') ..
    (runAt and (',"runAt":' .. runAt) or '') .. '}'
end

-- Ends a job that did not start before its deadline (expiresAt): dead with the error 'expired', in its dead set,
-- kept for the retention (ms, 0: forever). f holds the job's type, replyTo, createdAt, attempts, errors and v.
local function expire_job(key, id, deadKey, retention, jobType, replyTo, createdAt, attempts, errorsJson, v)
  local errors = (errorsJson and errorsJson ~= '') and cjson.decode(errorsJson) or {}
  errors[#errors + 1] = 'expired'
  v = tonumber(v) + 1
  redis.call('HSET', key, 'status', 'dead', 'error', 'expired', 'errors', cjson.encode(errors), 'v', v,
    'finishedAt', now, 'claim', '')
  redis.call('ZADD', deadKey, now, id)
  if retention > 0 then
    redis.call('PEXPIRE', key, retention)
  end
  publish(id, v, 'dead', replyTo, createdAt, 0, now, event(id, jobType, 'dead', attempts or 0, 'expired'))
end

-- When the earliest scheduled job of a queue is due (epoch ms), 0 when none is scheduled.
local function next_due(scheduledKey)
  local first = redis.call('ZRANGE', scheduledKey, 0, 0, 'WITHSCORES')
  return first[2] and tonumber(first[2]) or 0
end

-- Moves the queue's scheduled jobs that are due (at most 100 a call) to the back of their pending lists, as
-- 'queued'; one whose deadline passed meanwhile is dead instead. pending and dead are the queue's lists and sets,
-- high to low. Returns how many were queued.
local function forward_due(scheduledKey, pending, dead, jobPrefix, retention)
  local ids = redis.call('ZRANGEBYSCORE', scheduledKey, '-inf', now, 'LIMIT', 0, 100)
  if #ids == 0 then
    return 0
  end
  redis.call('ZREM', scheduledKey, unpack(ids))
  local index = {high = 1, normal = 2, low = 3}
  local lines, queued = {{}, {}, {}}, 0
  for _, id in ipairs(ids) do
    local key = jobPrefix .. id
    local f = redis.call('HMGET', key, 'status', 'priority', 'type', 'replyTo', 'createdAt', 'expiresAt', 'v',
      'errors')
    if f[1] == 'scheduled' then
      local p = index[f[2]] or 2
      if f[6] and tonumber(f[6]) <= now then
        expire_job(key, id, dead[p], retention, f[3], f[4], f[5], 0, f[8], f[7])
      else
        local v = tonumber(f[7]) + 1
        redis.call('HSET', key, 'status', 'queued', 'v', v)
        lines[p][#lines[p] + 1] = id
        queued = queued + 1
        publish(id, v, 'queued', f[4], f[5], 0, 0, event(id, f[3], 'queued', 0, nil))
      end
    end
  end
  for p = 1, 3 do
    if #lines[p] > 0 then
      redis.call('LPUSH', pending[p], unpack(lines[p]))
    end
  end
  return queued
end

-- Appends the (job id, inbox) pairs of jobs that just became waiting to the queue's inbox log, one entry per call, and
-- drops entries older than keepMs. A gateway that was not subscribed for a while (a failover, a slot move, a queue it
-- did not follow yet) reads the log from where it left off and catches up the jobs of its own inboxes; everything
-- else it can catch up from the jobs its clients already know.
local function log_inboxes(key, keepMs, entries)
  if #entries > 0 and keepMs ~= '0' then
    redis.call('XADD', key, 'MINID', '~', now - tonumber(keepMs), '*', 'j', table.concat(entries, ","))
  end
end
