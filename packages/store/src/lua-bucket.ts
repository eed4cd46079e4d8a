/**
 * Bucket ownership scripts. Every bucket key carries the `{buckets}` hash
 * tag, so one script may touch any of them (Redis Cluster: one slot). A
 * grantee's "granted" set is named from ARGV's `grantedPrefix` + project +
 * `:granted` where a script cannot know the grantees in advance (release).
 */

/**
 * Check every use first, then claim each unclaimed bucket for the project:
 * a refused request claims nothing. A use passes when the bucket is
 * unclaimed, owned by the project, or granted to it with the role its access
 * needs (WRITER implies READER).
 * KEYS: owners, owned(project), grants(bucket_1) … grants(bucket_n).
 * ARGV: project, n, bucket_1 … bucket_n, access_1 … access_n ('read' | 'write').
 * Returns {0, {claimed buckets…}} | {i, role or ''} for the first refused use i.
 */
export const AUTHORIZE_BUCKETS_LUA = `
local ownersKey = KEYS[1]
local ownedKey = KEYS[2]
local project = ARGV[1]
local count = tonumber(ARGV[2])
for i = 1, count do
  local bucket = ARGV[2 + i]
  local access = ARGV[2 + count + i]
  local owner = redis.call('HGET', ownersKey, bucket)
  if owner and owner ~= project then
    local role = redis.call('HGET', KEYS[2 + i], project)
    if not (role == 'WRITER' or (role == 'READER' and access == 'read')) then
      return {i, role or ''}
    end
  end
end
local claimed = {}
for i = 1, count do
  local bucket = ARGV[2 + i]
  if redis.call('HSETNX', ownersKey, bucket, project) == 1 then
    redis.call('SADD', ownedKey, bucket)
    table.insert(claimed, bucket)
  end
end
return {0, claimed}
`;

/**
 * Claim one bucket. KEYS: owners, owned(project). ARGV: project, bucket.
 * Returns 'CLAIMED' | 'OWNED' (already the project's) | 'TAKEN'.
 */
export const CLAIM_BUCKET_LUA = `
if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[1]) == 1 then
  redis.call('SADD', KEYS[2], ARGV[2])
  return 'CLAIMED'
end
if redis.call('HGET', KEYS[1], ARGV[2]) == ARGV[1] then return 'OWNED' end
return 'TAKEN'
`;

/**
 * Undo claims a refused request made: drop each bucket the project still
 * owns with no grants. KEYS: owners, owned(project), grants(bucket_1) ….
 * ARGV: project, bucket_1 …. Returns how many were dropped.
 */
export const UNDO_CLAIMS_LUA = `
local dropped = 0
for i = 2, #ARGV do
  local bucket = ARGV[i]
  if redis.call('HGET', KEYS[1], bucket) == ARGV[1] and redis.call('EXISTS', KEYS[1 + i]) == 0 then
    redis.call('HDEL', KEYS[1], bucket)
    redis.call('SREM', KEYS[2], bucket)
    dropped = dropped + 1
  end
end
return dropped
`;

/**
 * Release a bucket, or hand it to another project (reassign). Release drops
 * every grant; reassign keeps them, except the new owner's own.
 * KEYS: owners, owned(project), grants(bucket), owned(newOwner) (KEYS[2] when none).
 * ARGV: project, bucket, newOwner ('' to release), grantedPrefix.
 * Returns 'OK' | 'NOT_OWNER'.
 */
export const RELEASE_BUCKET_LUA = `
local ownersKey, ownedKey, grantsKey, newOwnedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local project, bucket, newOwner, grantedPrefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', ownersKey, bucket) ~= project then return 'NOT_OWNER' end
redis.call('SREM', ownedKey, bucket)
if newOwner == '' then
  redis.call('HDEL', ownersKey, bucket)
  for _, grantee in ipairs(redis.call('HKEYS', grantsKey)) do
    redis.call('SREM', grantedPrefix .. grantee .. ':granted', bucket)
  end
  redis.call('DEL', grantsKey)
  return 'OK'
end
redis.call('HSET', ownersKey, bucket, newOwner)
redis.call('SADD', newOwnedKey, bucket)
if redis.call('HDEL', grantsKey, newOwner) == 1 then
  redis.call('SREM', grantedPrefix .. newOwner .. ':granted', bucket)
end
return 'OK'
`;

/**
 * Grant (role given) or revoke (role '') a project's access.
 * KEYS: owners, grants(bucket), granted(grantee). ARGV: project, bucket, grantee, role.
 * Returns 'OK' | 'NOT_OWNER' | 'SELF' (the grantee is the owner).
 */
export const GRANT_BUCKET_LUA = `
if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then return 'NOT_OWNER' end
if ARGV[3] == ARGV[1] then return 'SELF' end
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[2], ARGV[3])
  redis.call('SREM', KEYS[3], ARGV[2])
else
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[2])
end
return 'OK'
`;
