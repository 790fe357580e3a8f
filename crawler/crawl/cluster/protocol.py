"""The redis side of a shared crawl: key names and the scripts that change them atomically.

Every change that must not be half-done is one Lua script, so a worker killed at any
instant leaves the shared state as if its current work had never started:

- POP      a request leaves the queue and enters the worker's in-flight hash in one step;
- COMMIT   a finished task's results (fetch records, items, counts) are queued for the
           writer, its new requests queued (each at most once: `once` keys, fingerprints),
           its shared marks set, and it leaves in-flight — or, when the worker was declared
           dead meanwhile, none of this happens;
- SPEND    one request from a site's budgets (spiders/reports.py BUDGETS), for the cluster;
- REQUEUE  a dead worker's in-flight requests go back to the queue;
- IDLE     the crawl is over: nothing queued, nothing in flight, nothing left to store;
- LEASE    a per-host slot (concurrency) and start time (delay) shared by every worker;
- CLAIM    a redirect's fingerprint, owned by its task so that a re-run is not a duplicate.

Keys live under one prefix (`archive:` by default): one shared crawl per redis database.
These scripts address keys they are given as arguments, so they need a single redis
server (not Redis Cluster).
"""
from __future__ import annotations

SEP = "\t"


class Keys:
    """Where each part of the shared crawl lives in redis."""

    def __init__(self, prefix: str = "archive"):
        self.prefix = prefix
        p = prefix
        self.crawl = f"{p}:crawl"            # hash: id, sites, settings (what a joining worker reads)
        self.queue = f"{p}:queue"            # zset: serialized requests, score -priority (scrapy-redis)
        self.results = f"{p}:results"        # list: one pickled result per finished task, FIFO
        self.rpc = f"{p}:rpc"                # list: workers' questions to the writer
        self.workers = f"{p}:workers"        # set: worker ids that joined and were not reaped
        self.once = f"{p}:once"              # set: `once` keys of requests made
        self.fingerprints = f"{p}:fp"        # hash: request fingerprint → the task that owns it
        self.spent = f"{p}:spent"            # hash: site<TAB>budget → requests taken from it (SPEND)
        self.listed = f"{p}:listed"          # set: site<TAB>column address of every list page requested
        self.failed = f"{p}:list_failed"     # set: sites whose list pages did not all load
        self.writer = f"{p}:writer"          # the writer's heartbeat (its id)
        self.inflight_prefix = f"{p}:inflight:"

    def inflight(self, worker: str) -> str:
        """hash: serialized request → its queue score, for every request the worker holds."""
        return self.inflight_prefix + worker

    def alive(self, worker: str) -> str:
        """A key the worker's heartbeat keeps from expiring."""
        return f"{self.prefix}:alive:{worker}"

    def column(self, site: str, column: str) -> str:
        """set: the entry addresses a column's list pages have shown."""
        return f"{self.prefix}:column:{site}{SEP}{column}"

    def kinds(self, site: str) -> str:
        """set: the report types whose columns discovery found on the site."""
        return f"{self.prefix}:kinds:{site}"

    def lent(self, site: str) -> str:
        """set: hosts under the site's domain lent to it for a report column (spiders/reports.py)."""
        return f"{self.prefix}:lent:{site}"

    def scripts(self, site: str) -> str:
        """hash: a script file's address → its navigation functions (JSON), for the site."""
        return f"{self.prefix}:scripts:{site}"

    def waiting(self, site: str, script: str) -> str:
        """list: the menu calls (JSON) of pages waiting for a script file of the site to be read."""
        return f"{self.prefix}:waiting:{site}:{script}"

    def reply(self, question: str) -> str:
        return f"{self.prefix}:reply:{question}"

    def host(self, host: str) -> str:
        return f"{self.prefix}:host:{host}"

    def host_next(self, host: str) -> str:
        return f"{self.prefix}:host-next:{host}"

    def robots(self, netloc: str) -> str:
        return f"{self.prefix}:robots:{netloc}"

    def robots_lock(self, netloc: str) -> str:
        return f"{self.prefix}:robots-lock:{netloc}"


# KEYS: queue, inflight, alive, results; ARGV: most results waiting for the writer.
# Returns the request taken, or nil: none queued, the worker reaped, or the writer behind
# (its backlog holds page bytes in redis' memory: workers wait rather than grow it).
POP = """
if redis.call('EXISTS', KEYS[3]) == 0 then return false end
if redis.call('LLEN', KEYS[4]) >= tonumber(ARGV[1]) then return false end
local r = redis.call('ZPOPMIN', KEYS[1])
if #r == 0 then return false end
redis.call('HSET', KEYS[2], r[1], r[2])
return r[1]
"""

# KEYS: inflight, queue, results, once, fingerprints, listed, failed
# ARGV: task, result ('' = none), n, n × (request, score, once, fingerprint, owner),
#       m, m × (set key, member), f, f × failed site, l, l × listed member
# Returns the number of requests queued, or -1 when the task is no longer this worker's.
COMMIT = """
local task = ARGV[1]
if redis.call('HEXISTS', KEYS[1], task) == 0 then return -1 end
local i = 4
local pushed = 0
for c = 1, tonumber(ARGV[3]) do
  local data, score, once, fp, owner = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4]
  i = i + 5
  local ok = true
  if once ~= '' and redis.call('SISMEMBER', KEYS[4], once) == 1 then ok = false end
  if ok and fp ~= '' and redis.call('HEXISTS', KEYS[5], fp) == 1 then ok = false end
  if ok then
    if once ~= '' then redis.call('SADD', KEYS[4], once) end
    if fp ~= '' then redis.call('HSET', KEYS[5], fp, owner) end
    redis.call('ZADD', KEYS[2], score, data)
    pushed = pushed + 1
  end
end
for s = 1, tonumber(ARGV[i]) do redis.call('SADD', ARGV[i+2*s-1], ARGV[i+2*s]) end
i = i + 1 + 2 * tonumber(ARGV[i])
for s = 1, tonumber(ARGV[i]) do redis.call('SADD', KEYS[7], ARGV[i+s]) end
i = i + 1 + tonumber(ARGV[i])
for s = 1, tonumber(ARGV[i]) do redis.call('SADD', KEYS[6], ARGV[i+s]) end
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[2]) end
redis.call('HDEL', KEYS[1], task)
return pushed
"""

# KEYS: spent; ARGV: site, n, n × (budget, most). '' when one request was taken from each budget,
# else the budget already spent (and nothing is taken).
SPEND = """
local n = tonumber(ARGV[2])
for b = 0, n - 1 do
  local used = tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. '\t' .. ARGV[3 + 2 * b]) or '0')
  if used >= tonumber(ARGV[4 + 2 * b]) then return ARGV[3 + 2 * b] end
end
for b = 0, n - 1 do redis.call('HINCRBY', KEYS[1], ARGV[1] .. '\t' .. ARGV[3 + 2 * b], 1) end
return ''
"""

# KEYS: inflight, queue, workers, alive; ARGV: worker. Returns the requests put back (-1: alive).
REQUEUE = """
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do redis.call('ZADD', KEYS[2], all[i+1], all[i]) end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[3], ARGV[1])
return #all / 2
"""

# KEYS: queue, results, workers; ARGV: in-flight key prefix. 1 when the crawl has run dry.
IDLE = """
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('LLEN', KEYS[2]) > 0 then return 0 end
for _, w in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('HLEN', ARGV[1] .. w) > 0 then return 0 end
end
return 1
"""

# KEYS: host leases (zset lease → expiry ms), host next start (ms)
# ARGV: lease, concurrency, delay ms, lease ttl ms. 0 when granted, else ms to wait.
# The clock is redis' own, so machines whose clocks differ still space their requests.
LEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 20 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', 600000)
return 0
"""

# KEYS: fingerprints; ARGV: fingerprint, owner. 1 when the owner may make the request.
CLAIM = """
local o = redis.call('HGET', KEYS[1], ARGV[1])
if not o then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end
if o == ARGV[2] then return 1 end
return 0
"""
