import { createHash } from 'node:crypto';

/** A Lua script with its SHA1, for EVALSHA with a fallback to EVAL after NOSCRIPT. */
export interface LuaScript {
  source: string;
  sha1: string;
}

function script(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

// Mirrors MemoryStore.increment: a new counter gets the TTL, an old one keeps its own.
export const INCREMENT = script(`
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ARGV[3] == '1' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {v, ttl}
`);

// A value that is not a number is never replaced: a replay guard must not be reset by junk.
export const SET_IF_GREATER = script(`
local cur = redis.call('GET', KEYS[1])
if cur then
  local c = tonumber(cur)
  if c == nil or c >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

// The Lua twin of attempt-logic.ts reserveIn. KEYS: [window], then per counter its key and
// exempt key. ARGV: now, hasWindow, limit, windowMs, count, then per counter threshold,
// waitIncrementMs, maxWaitMs, quietPeriodMs, hasExempt, flag. Reply: {0, blockedBy (-1 for
// the window), retryAfterMs, hasWindow, hits, resetAt} or {1, flagged, hasWindow, hits,
// resetAt, then failures, lockedUntil, previousLockedUntil per counter}.
export const RESERVE_ATTEMPT = script(`
local now = tonumber(ARGV[1])
local windowed = ARGV[2] == '1'
local base, hits, resetAt = 1, 0, 0
if windowed then
  local raw = redis.call('GET', KEYS[1])
  if raw then
    local h, r = string.match(raw, '^(%d+):(%d+)$')
    hits, resetAt = tonumber(h) or 0, tonumber(r) or 0
  end
  if not (resetAt > now) then hits, resetAt = 0, now + tonumber(ARGV[4]) end
  hits = hits + 1
  redis.call('SET', KEYS[1], string.format('%d:%d', hits, resetAt), 'PX', resetAt - now)
  if hits > tonumber(ARGV[3]) then return {0, -1, resetAt - now, 1, hits, resetAt} end
  base = 2
end
local w = windowed and 1 or 0
local count = tonumber(ARGV[5])
local state = {}
local blockedBy, retry, flagged = -1, 0, 0
for i = 0, count - 1 do
  local a = 6 + 6 * i
  local key, exemptKey = KEYS[base + 2 * i], KEYS[base + 2 * i + 1]
  local f, lk, last = 0, 0, 0
  local raw = redis.call('GET', key)
  if raw then
    local x, y, z = string.match(raw, '^(%d+):(%d+):(%d+)$')
    f, lk, last = tonumber(x) or 0, tonumber(y) or 0, tonumber(z) or 0
  end
  if now - last >= tonumber(ARGV[a + 3]) and lk <= now then f, lk = 0, 0 end
  state[i] = {f, lk}
  local exempt = ARGV[a + 4] == '1' and redis.call('EXISTS', exemptKey) == 1
  if not exempt then
    if ARGV[a + 5] == '1' then
      if f >= tonumber(ARGV[a]) then flagged = 1 end
    elseif lk - now > retry then
      blockedBy, retry = i, lk - now
    end
  end
end
if blockedBy >= 0 then return {0, blockedBy, retry, w, hits, resetAt} end
local out = {1, flagged, w, hits, resetAt}
for i = 0, count - 1 do
  local a = 6 + 6 * i
  local threshold = tonumber(ARGV[a])
  local f, lk = state[i][1] + 1, state[i][2]
  local locked = lk
  if f >= threshold then
    local wait = math.min(tonumber(ARGV[a + 2]), tonumber(ARGV[a + 1]) * math.floor(f / threshold))
    locked = math.max(lk, now + wait)
  end
  local ttl = math.max(tonumber(ARGV[a + 3]), locked - now)
  redis.call('SET', KEYS[base + 2 * i], string.format('%d:%d:%d', f, locked, now), 'PX', ttl)
  out[#out + 1] = f
  out[#out + 1] = locked
  out[#out + 1] = lk
end
return out
`);

// The Lua twin of attempt-logic.ts settleIn. KEYS: [window], counters, [mark]. ARGV: now,
// hasWindow, success, count, then per counter clearOnSuccess, lockedUntil,
// previousLockedUntil, then hasMark, markTtlMs.
export const SETTLE_ATTEMPT = script(`
local now = tonumber(ARGV[1])
local success = ARGV[3] == '1'
local base = 1
if ARGV[2] == '1' then
  local raw = redis.call('GET', KEYS[1])
  if raw then
    local h, r = string.match(raw, '^(%d+):(%d+)$')
    h, r = tonumber(h) or 0, tonumber(r) or 0
    if h > 0 and r > now then
      redis.call('SET', KEYS[1], string.format('%d:%d', h - 1, r), 'KEEPTTL')
    end
  end
  base = 2
end
local count = tonumber(ARGV[4])
for i = 0, count - 1 do
  local a = 5 + 3 * i
  local key = KEYS[base + i]
  if success and ARGV[a] == '1' then
    redis.call('DEL', key)
  else
    local raw = redis.call('GET', key)
    if raw then
      local x, y, z = string.match(raw, '^(%d+):(%d+):(%d+)$')
      local f, lk, last = tonumber(x) or 0, tonumber(y) or 0, tonumber(z) or 0
      local took, before = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
      if took ~= before and lk == took then lk = before end
      f = math.max(0, f - 1)
      if f == 0 and lk <= now then
        redis.call('DEL', key)
      else
        redis.call('SET', key, string.format('%d:%d:%d', f, lk, last), 'KEEPTTL')
      end
    end
  end
end
local m = 5 + 3 * count
if success and ARGV[m] == '1' then
  redis.call('SET', KEYS[base + count], '1', 'PX', ARGV[m + 1])
end
return 1
`);
