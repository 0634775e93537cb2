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

-- the client event of a change that carries no handler result (see JobEvent); publish() appends its "v"
local function event(id, jobType, status, attempts, err)
  return '{"event":"job","id":"' .. id .. '","type":"' .. jobType .. '","status":"' .. status .. '","attempts":' ..
    attempts .. ',"result":null,"error":' .. (err and cjson.encode(err) or 'null') .. '}'
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
