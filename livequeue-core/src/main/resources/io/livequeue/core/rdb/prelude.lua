-- Prepended to every script that publishes (see LuaScript): the time on the Redis clock, and the envelope each status
-- change is published in (parsed by EventMessage). In every such script ARGV[1] is the events channel and ARGV[2]
-- the publish command: PUBLISH, or SPUBLISH on Redis Cluster (sharded pub/sub, which stays on the slot's shard).
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)

local function publish(id, v, status, replyTo, createdAt, startedAt, finishedAt, event)
  redis.call(ARGV[2], ARGV[1], '{"v":' .. v .. ',"id":"' .. id .. '","status":"' .. status .. '","replyTo":' ..
    ((replyTo and replyTo ~= '') and ('"' .. replyTo .. '"') or 'null') .. ',"createdAt":' .. (createdAt or 0) ..
    ',"startedAt":' .. (startedAt or 0) .. ',"finishedAt":' .. (finishedAt or 0) .. ',"event":' .. event .. '}')
end

-- the client event of a change that carries no handler result (see JobEvent)
local function event(id, jobType, status, attempts, err)
  return '{"event":"job","id":"' .. id .. '","type":"' .. jobType .. '","status":"' .. status .. '","attempts":' ..
    attempts .. ',"result":null,"error":' .. (err and cjson.encode(err) or 'null') .. '}'
end
