-- Creates or revokes a producer's API key, atomically with the set that lists the keys.
-- KEYS[1] the key's hash   KEYS[2] the set of key ids
-- ARGV[1] 'create' or 'revoke'   ARGV[2] the key's id
-- ARGV[3..6] (create) name, scopes (space-separated), SHA-256 of the key (hex), createdAt (ms); '' when revoking
-- Returns 1 when a key was created or revoked, 0 when there was no key to revoke.
if ARGV[1] == 'create' then
  redis.call('HSET', KEYS[1], 'name', ARGV[3], 'scopes', ARGV[4], 'sha256', ARGV[5], 'createdAt', ARGV[6])
  redis.call('SADD', KEYS[2], ARGV[2])
  return 1
end
redis.call('SREM', KEYS[2], ARGV[2])
return redis.call('DEL', KEYS[1])
