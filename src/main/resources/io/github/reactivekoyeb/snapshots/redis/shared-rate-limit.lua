-- The shared rate limit of one budget (one API token, or a named budget), one atomic decision per
-- call, on Redis's own clock (TIME: the replicas' clocks never enter). KEYS[1] is the budget's hash;
-- every write gives it an expiry, so an abandoned budget disappears.
--
-- ARGV: 1 op ('reserve' | 'throttled'), 2 permits wanted, 3 max wait (us), 4 admissions reported
-- since the replica's last call, 5 Retry-After (us, 0 for none), 6 replica id, 7 the replica's own
-- view of the rate it was admitted at (requests/s, for the first cut), 8 lowest rate, 9 decrease,
-- 10 quiet period (us), 11 expiry (ms), 12 the 429s met since the replica's last report.
--
-- Returns {limiting (0|1), permits granted, wait of the first (us), interval between permits (us),
-- rate (milli-requests/s), pause left (us)}.
local key = KEYS[1]
local op = ARGV[1]
local wanted = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local admittedDelta = tonumber(ARGV[4])
local retryAfter = tonumber(ARGV[5])
local replica = ARGV[6]
local replicaBase = tonumber(ARGV[7])
local minRate = tonumber(ARGV[8])
local decrease = tonumber(ARGV[9])
local quiet = tonumber(ARGV[10])
local ttl = tonumber(ARGV[11])
local met = tonumber(ARGV[12]) or 1

local SECOND = 1000000
local C = 0.4            -- CUBIC's C, as the local limiter
local GROWTH_CAP = 2     -- never above twice what the fleet was admitted in the last second
local MAX_PAUSE = 300 * SECOND
local FIRST_BURST = SECOND
local CUT_INTERVAL = SECOND

local t = redis.call('TIME')
local now = tonumber(t[1]) * SECOND + tonumber(t[2])

local s = redis.call('HMGET', key, 'rate', 'base', 'cut', 'k', 'tat', 'pause', 'pstart', 't429',
    'w0', 'a0', 'a1', 'stray', 'first', 'ac')
local rate = tonumber(s[1]) or 0
local base = tonumber(s[2]) or 0
local cut = tonumber(s[3]) or 0
local k = tonumber(s[4]) or 0
local tat = tonumber(s[5]) or 0
local pause = tonumber(s[6]) or 0
local pstart = tonumber(s[7]) or 0
local t429 = tonumber(s[8]) or 0
local w0 = tonumber(s[9]) or now
local a0 = tonumber(s[10]) or 0
local a1 = tonumber(s[11]) or 0
local stray = tonumber(s[12]) or 0
local first = tonumber(s[13]) or 0
local ac = tonumber(s[14]) or 0

-- what the fleet was admitted: two one-second windows, the older one weighted by its overlap
if now - w0 >= 2 * SECOND then
  a1 = 0; a0 = 0; w0 = now
elseif now - w0 >= SECOND then
  a1 = a0; a0 = 0; w0 = w0 + SECOND
end
a0 = a0 + admittedDelta
local admitted = a0 + a1 * math.max(0, 1 - (now - w0) / SECOND)
-- ...and since the last cut: a cut comes with a 429, when the API's bucket is empty, so between
-- two cuts the API admitted exactly its limit, its stored burst and the pauses included (right
-- after a pause its bucket is full, and the last second's admissions overstate the limit). The
-- replicas report only what they were admitted while they knew the fleet limits.
ac = ac + admittedDelta
local CYCLE_TO_MEASURE = 2 * SECOND

local function pauseLeft()
  return math.max(0, pause - now)
end

-- quiet for long enough, and the fleet no longer asks for every slot (else it still sends at the
-- limit, probing slowly above it): the budget is free again, the state forgotten
if t429 > 0 and now - t429 > quiet and pause <= now and tat < now then
  redis.call('DEL', key)
  return {0, 0, 0, 0, 0, 0}
end

-- free: nothing to write, only a pause to tell
if op == 'reserve' and rate <= 0 then
  return {0, 0, 0, 0, 0, math.floor(pauseLeft())}
end

local function recovery(b)
  return (b * (1 - decrease) / C) ^ (1 / 3)
end

-- the sum of the replicas' reports in the first burst: what the fleet was admitted before it knew
local function firstBase()
  local sum = 0
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 'f:' then
      sum = sum + tonumber(all[i + 1])
    end
  end
  return math.max(minRate, sum)
end

-- the rate now: CUBIC's curve from the last cut, capped by what was admitted
local function current()
  if rate <= 0 then
    return 0
  end
  local x = (now - cut) / SECOND - k
  local cubic = base + C * x * x * x
  local cap = math.max(GROWTH_CAP * admitted, rate) -- never below the last cut's rate
  return math.max(minRate, math.min(cubic, cap))
end

if op == 'throttled' then
  t429 = now
  if retryAfter > 0 then
    if pause <= now then
      pstart = now
    end
    pause = math.max(pause, now + math.min(retryAfter, MAX_PAUSE))
  end
  if rate <= 0 then
    -- 'stray' holds until when a next 429 is not stray: a second after the stray one's pause
    if met >= 2 or (stray > 0 and now < stray) then
      -- two 429s at once, or a second one within a second of the first's pause: the fleet sends
      -- too fast; the first cut
      redis.call('HSET', key, 'f:' .. replica, replicaBase)
      first = now
      cut = now
      ac = 0
      base = firstBase()
      k = recovery(base)
      rate = math.max(minRate, base * decrease)
      tat = math.max(now, pause)
    else
      -- a stray 429: a pause only (the replica's view kept, should the first cut follow)
      stray = math.max(now, pause) + SECOND
      redis.call('HSET', key, 'f:' .. replica, replicaBase)
    end
  elseif now - first < FIRST_BURST then
    -- the first burst's replies still come in: each replica's own view refines the first cut
    redis.call('HSET', key, 'f:' .. replica, replicaBase)
    base = firstBase()
    k = recovery(base)
    rate = math.max(minRate, base * decrease)
  elseif now - cut >= CUT_INTERVAL then
    local r = current()
    -- what was admitted per second of the last one that was not paused; the rate itself when
    -- paused most of it
    local paused = math.max(0, math.min(pause, now) - math.max(pstart, now - SECOND))
    local measured = r
    if paused <= SECOND / 2 then
      measured = admitted * SECOND / (SECOND - paused)
    end
    if now - cut >= CYCLE_TO_MEASURE then
      -- what the API admitted since the last cut: its limit, however far above it the rate had grown
      base = math.max(minRate, math.min(r, ac * SECOND / (now - cut)))
    else
      base = math.max(minRate, math.max(r * decrease, math.min(r, measured)))
    end
    if now - cut >= CYCLE_TO_MEASURE and retryAfter > 0 then
      -- the limit is measured, and the pause refills the API's bucket: the fleet resumes at the
      -- limit (below it, the refilled bucket would overflow) and probes above it from there
      k = 0
      rate = base
    else
      k = recovery(base)
      rate = math.max(minRate, base * decrease)
    end
    cut = now
    ac = 0
  end
end

local limiting = 0
local granted = 0
local wait = 0
local interval = 0
local r = current()
if r > 0 then
  limiting = 1
  interval = SECOND / r
  local start = math.max(tat, now, pause)
  wait = start - now
  if op == 'reserve' and wanted > 0 and wait <= maxWait then
    granted = math.min(wanted, math.floor((maxWait - wait) / interval) + 1)
    tat = start + granted * interval
  end
end

redis.call('HSET', key, 'rate', rate, 'base', base, 'cut', cut, 'k', k, 'tat', tat, 'pause', pause,
    'pstart', pstart, 't429', t429, 'w0', w0, 'a0', a0, 'a1', a1, 'stray', stray, 'first', first, 'ac', ac)
redis.call('PEXPIRE', key, ttl)
return {limiting, granted, math.floor(wait), math.floor(interval), math.floor(r * 1000), math.floor(pauseLeft())}
