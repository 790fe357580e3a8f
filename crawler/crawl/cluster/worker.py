"""A cluster worker: an ordinary Scrapy crawl whose memory, politeness and results are in redis.

A *task* is one request taken from the shared queue together with what Scrapy makes of
it locally (its redirects and retries). The worker runs the spider's callbacks as in one
process, but everything a task produces — the fetch records ArchiveMiddleware would write,
the items with what the worker's pool read of them, new requests, counts, the spider's marks — is held in the task and
sent in one COMMIT when Scrapy is done with the task's last request. A worker killed
before that has sent nothing: the writer's reaper puts the task back in the queue.

The spider's memory (SiteState) is SharedSiteState here: which list pages and reports were
requested is decided at COMMIT (`once` keys), which entries a column showed is read from
redis, so that two workers on the pages of one column stop where one process stops.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import pickle
import threading
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import redis
import redis.asyncio as aredis
from scrapy import Request, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.downloadermiddlewares.stats import get_header_size, get_status_size
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.spider import iterate_spider_output
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.defer import Deferred

from crawler.crawl.middlewares import CONDITIONAL_ROLES, ArchiveMiddleware, RedirectHopMiddleware, ScopeMiddleware
from crawler.crawl.pipelines import Reader, reads
from crawler.crawl.sites import once_key

from .protocol import CLAIM, COMMIT, LEASE, POP, REQUEUE, SEP, SPEND, Keys

logger = logging.getLogger(__name__)
HEARTBEAT = 1.0        # seconds between a worker's heartbeats
DEAD_AFTER = 10.0      # seconds without a heartbeat before a worker's work is given to others
MAX_BACKLOG = 200      # task results waiting for the writer before workers stop taking requests
TASK = "cluster_task"  # request meta: the task a request belongs to
PARENT = "cluster_parent"


@dataclass
class Task:
    """One request from the queue and everything it produced, until COMMIT."""

    id: str
    data: bytes                      # the request as queued (the in-flight hash's field)
    pending: int = 1                 # its requests Scrapy still holds (redirects, retries)
    writes: list = field(default_factory=list)      # (Store method, args, kwargs): record_fetch, page_error
    counts: list = field(default_factory=list)      # (site, key, n)
    items: list = field(default_factory=list)       # [ReportItem, Reader results, url of the response]
    children: list = field(default_factory=list)    # new requests
    marks: list = field(default_factory=list)       # (set key, member): column entries shown
    listed: list = field(default_factory=list)      # site<TAB>column of list pages requested
    failed: set = field(default_factory=set)        # sites whose list page failed
    once: set = field(default_factory=set)          # `once` keys of the requests it made
    bytes: int = 0


class Worker:
    """One worker process's link to the shared crawl: its id, tasks, heartbeat and redis."""

    def __init__(self, url: str, keys: Keys, crawl_id: str):
        self.url, self.keys, self.crawl_id = url, keys, crawl_id
        self.id = f"{_hostname()}-{uuid.uuid4().hex[:8]}"
        self.redis = redis.Redis.from_url(url)
        self.tasks: dict[str, Task] = {}
        self.current: Task | None = None       # the task whose callback is running
        self.item_owner: dict[int, tuple] = {}
        self.reaped = False
        self.spider = None
        self._commit = self.redis.register_script(COMMIT)
        self._claim = self.redis.register_script(CLAIM)
        self.spend = self.redis.register_script(SPEND)
        self._async = None
        self._stop = threading.Event()

    # -- joining, heartbeat ---------------------------------------------------------------
    def join(self) -> None:
        self.redis.set(self.keys.alive(self.id), self.crawl_id, px=int(DEAD_AFTER * 1000))
        self.redis.sadd(self.keys.workers, self.id)
        threading.Thread(target=self._beat, name="heartbeat", daemon=True).start()

    def _beat(self) -> None:
        """A thread, so a long extraction on the reactor thread never looks like death."""
        conn = redis.Redis.from_url(self.url)
        while not self._stop.wait(HEARTBEAT):
            try:
                if not conn.set(self.keys.alive(self.id), self.crawl_id, px=int(DEAD_AFTER * 1000), xx=True):
                    # declared dead (the others have this worker's work now), or the crawl is over
                    self.reaped = conn.hget(self.keys.crawl, "id") == self.crawl_id.encode()
                    return
            except redis.RedisError as exc:
                logger.warning("heartbeat failed: %s", exc)

    def leave(self) -> None:
        """Stop beating and put back what this worker still holds (a worker interrupted with
        Ctrl-C or SIGTERM): the others take it at once rather than after DEAD_AFTER."""
        self._stop.set()
        k = self.keys
        try:
            self.redis.delete(k.alive(self.id))
            back = self.redis.register_script(REQUEUE)(
                keys=[k.inflight(self.id), k.queue, k.workers, k.alive(self.id)], args=[self.id])
            if back > 0:
                logger.warning("left the crawl: %d request(s) back in the queue", back)
        except redis.RedisError as exc:
            logger.warning("could not leave the crawl cleanly (%s): the writer will requeue", exc)

    def crawl_over(self) -> bool:
        """The writer ended this crawl (or another began)."""
        return self.redis.hget(self.keys.crawl, "id") != self.crawl_id.encode()

    def writer_gone(self) -> bool:
        """The writer stopped beating: nobody stores what this worker would send."""
        return self.redis.get(self.keys.writer) != self.crawl_id.encode()

    @property
    def aredis(self):
        """An asyncio client, made on first use inside the reactor's event loop."""
        if self._async is None:
            self._async = aredis.Redis.from_url(self.url)
        return self._async

    async def ask(self, op: str, url: str, timeout: float = 60):
        """A question only the writer's archive can answer (validators, archived bytes)."""
        question = uuid.uuid4().hex
        await self.aredis.rpush(self.keys.rpc, pickle.dumps({"id": question, "op": op, "url": url}))
        answer = await self.aredis.blpop([self.keys.reply(question)], timeout=timeout)
        if answer is None:
            raise TimeoutError(f"the writer did not answer {op} {url}")
        return pickle.loads(answer[1])

    # -- tasks ----------------------------------------------------------------------------
    def count(self, site: str, key: str, n: int = 1) -> None:
        """A count the spider makes (archive.count) belongs to the task whose callback runs."""
        if self.current is not None:
            self.current.counts.append((site, key, n))

    @contextlib.contextmanager
    def acting(self, task: Task | None):
        """Run a (synchronous) piece of Scrapy's machinery as `task`: what it records and
        counts is the task's."""
        previous = self.current
        self.current = task if task is not None else previous
        try:
            yield
        finally:
            self.current = previous

    def task_of(self, request) -> Task | None:
        return self.tasks.get(request.meta.get(TASK))

    def begin(self, request, data: bytes) -> None:
        task = Task(request.meta[TASK], data)
        self.tasks[task.id] = task
        if request.callback is not None:
            request.callback = self._attributed(task, request.callback)
        if request.errback is not None:
            request.errback = self._attributed(task, request.errback)

    def _attributed(self, task: Task, fn):
        """The callback, run with `task` current, its output marked as the task's."""
        def run(result, **kwargs):
            self.current = task
            try:
                out = fn(result, **kwargs)
            finally:
                self.current = None
            return self._outputs(task, out, result)
        return run

    def _outputs(self, task: Task, out, result):
        url = getattr(result, "url", None) or getattr(getattr(result, "request", None), "url", None)
        it = iter(iterate_spider_output(out))   # a generator, a list, one request or item, None
        while True:
            self.current = task
            try:
                value = next(it)
            except StopIteration:
                return
            finally:
                self.current = None
            if isinstance(value, Request):
                value.meta.pop(TASK, None)
                value.meta[PARENT] = task.id
            elif value is not None:
                self.item_owner[id(value)] = (task, url, value)
            yield value

    def continued(self, request) -> bool:
        """A redirect or retry of a task's request: it stays with the task, unless a duplicate."""
        task = self.task_of(request)
        if task is None:
            return False
        if not request.dont_filter:
            fp = RFPDupeFilter.request_fingerprint(None, request)
            if not self._claim(keys=[self.keys.fingerprints], args=[fp, task.id]):
                return False
        task.pending += 1
        return True

    def released(self, request) -> None:
        """Scrapy is done with one of a task's requests; the task's last one ends it."""
        task = self.task_of(request)
        if task is None:
            return
        task.pending -= 1
        if task.pending == 0:
            del self.tasks[task.id]
            self.commit(task)

    def commit(self, task: Task) -> None:
        args = [task.data, pickle.dumps({
            "worker": self.id, "writes": task.writes, "counts": task.counts,
            "items": task.items, "bytes": task.bytes}, protocol=pickle.HIGHEST_PROTOCOL),
            len(task.children)]
        for child in task.children:
            child.meta.pop(PARENT, None)
            child.meta[TASK] = uuid.uuid4().hex
            args += request_args(child, self.spider_queue._encode_request)
        args.append(len(task.marks))
        for key, member in task.marks:
            args += [key, member]
        args.append(len(task.failed))
        args += sorted(task.failed)
        args.append(len(task.listed))
        args += task.listed
        k = self.keys
        queued = self._commit(keys=[k.inflight(self.id), k.queue, k.results, k.once, k.fingerprints,
                                    k.listed, k.failed], args=args)
        if queued == -1:
            logger.error("task %s was given to another worker (this one was declared dead); stopping", task.id)
            self.reaped = True


def request_args(request, encode) -> list:
    """A new request as COMMIT takes it: the request, its score, what makes it a duplicate."""
    fp = "" if request.dont_filter else RFPDupeFilter.request_fingerprint(None, request)
    return [encode(request), -request.priority, request.meta.get("once") or "", fp, request.meta[TASK]]


# -- the scheduler: scrapy-redis' queue and dupefilter, made reliable -------------------------
class ReliableQueue(PriorityQueue):
    """scrapy-redis' priority queue whose pop moves the request into the worker's in-flight
    hash in the same step (POP), instead of deleting it: a killed worker loses nothing."""

    def __init__(self, server, spider, key, serializer=None, worker: Worker | None = None):
        super().__init__(server, spider, key, serializer)
        self.worker = worker
        self._pop = server.register_script(POP)

    def pop(self, timeout=0):
        w = self.worker
        data = self._pop(keys=[self.key, w.keys.inflight(w.id), w.keys.alive(w.id), w.keys.results],
                         args=[MAX_BACKLOG])
        if not data:
            return None
        request = self._decode_request(data)
        w.begin(request, data)
        return request


class ClusterScheduler(Scheduler):
    """scrapy-redis' Scheduler over the shared queue. A spider's new requests wait in their
    task until COMMIT; a task's redirects and retries stay in this worker, so a worker's
    death undoes them with the task."""

    @classmethod
    def from_crawler(cls, crawler):
        worker = crawler.cluster_worker
        instance = cls(server=worker.redis, persist=True, queue_key=worker.keys.queue,
                       queue_cls="crawler.crawl.cluster.worker.ReliableQueue",
                       dupefilter=RFPDupeFilter(worker.redis, worker.keys.fingerprints))
        instance.stats = crawler.stats
        instance.worker = worker
        instance.local = []
        return instance

    def open(self, spider):
        self.spider = spider
        self.queue = ReliableQueue(self.server, spider, self.queue_key, worker=self.worker)
        self.worker.spider_queue = self.queue

    def close(self, reason):
        pass   # the queue belongs to the crawl, not to this worker

    def enqueue_request(self, request):
        parent = self.worker.tasks.get(request.meta.get(PARENT))
        if parent is not None:
            parent.children.append(request)
            return True
        if self.worker.continued(request):
            self.local.append(request)
            return True
        return False   # a request of no task (start requests: the writer seeds) or a duplicate

    def next_request(self):
        if self.local:
            return self.local.pop(0)
        if self.worker.reaped:
            return None
        return self.queue.pop()

    def has_pending_requests(self):
        return bool(self.local) or (not self.worker.reaped and len(self.queue) > 0)


# -- the spider's memory, shared ---------------------------------------------------------------
class SharedSiteState:
    """What spiders/reports.py's SiteState remembers, for a whole cluster (see the module doc)."""

    def __init__(self, site, worker: Worker):
        self.site, self.worker = site, worker
        self.keys = worker.keys

    def on_site(self, url: str) -> bool:
        return self.site.holds(url) or urlsplit(url).hostname in self.lent

    @property
    def lent(self) -> set:
        """Hosts lent to the site for a report column, by any worker (written at once, like
        SharedScripts: what a catalogue link says is the same whoever reads it again)."""
        return {m.decode() for m in self.worker.redis.smembers(self.keys.lent(self.site.name))}

    def lend(self, url: str) -> None:
        self.worker.redis.sadd(self.keys.lent(self.site.name), urlsplit(url).hostname)

    def _task(self) -> Task:
        task = self.worker.current
        if task is None:
            raise RuntimeError("spider state used outside a task's callback")
        return task

    def _made(self, once: str) -> bool:
        """Requested by a committed task or by this one (COMMIT makes it once in any case)."""
        return once in self._task().once or bool(self.worker.redis.sismember(self.keys.once, once))

    def has_list(self, key: tuple) -> bool:
        return self._made(once_key(self.site.name, "list", *key))

    def add_list(self, key: tuple) -> None:
        task = self._task()
        task.once.add(once_key(self.site.name, "list", *key))
        task.listed.append(f"{self.site.name}{SEP}{key[1]}")

    def listed(self, column: str) -> bool:
        member = f"{self.site.name}{SEP}{column}"
        return member in self._task().listed or bool(self.worker.redis.sismember(self.keys.listed, member))

    def new_entries(self, column: str, urls: list[str]) -> list[str]:
        task, key = self._task(), self.keys.column(self.site.name, column)
        unique = list(dict.fromkeys(urls))
        if not unique:
            return []
        known = self.worker.redis.smismember(key, unique)
        pending = {m for k, m in task.marks if k == key}
        new = [u for u, seen in zip(unique, known, strict=True) if not seen and u not in pending]
        task.marks += [(key, u) for u in new]
        return new

    def has_report(self, url: str) -> bool:
        return self._made(once_key(self.site.name, "report", url))

    def add_report(self, url: str) -> None:
        self._task().once.add(once_key(self.site.name, "report", url))

    def spend(self, limits: dict[str, int]) -> str | None:
        """The site's budgets, counted for the whole cluster (SPEND). A task redone after its
        worker died spends again: a budget is a ceiling against traps, not an exact count."""
        args = [self.site.name, len(limits)]
        for budget, limit in limits.items():
            args += [budget, limit]
        spent = self.worker.spend(keys=[self.keys.spent], args=args)
        return spent.decode() if spent else None

    @property
    def kinds(self) -> set:
        """The report types whose columns discovery found, on any worker (marked at COMMIT)."""
        task, key = self._task(), self.keys.kinds(self.site.name)
        found = {m.decode() for m in self.worker.redis.smembers(key)} | {m for k, m in task.marks if k == key}
        return _MarkedSet(found, lambda new: task.marks.extend((key, m) for m in new))

    def fail_list(self) -> None:
        self._task().failed.add(self.site.name)

    @property
    def scripts(self) -> SharedScripts:
        """The site's script files read by any worker → their navigation functions."""
        return SharedScripts(self.worker.redis, self.keys.scripts(self.site.name))

    def wait_for_script(self, url: str, waiter: dict) -> None:
        """Pushed at once, like SharedScripts: the worker that reads the file may be another one,
        reading it now (spiders/reports.py registers before it looks again)."""
        self.worker.redis.rpush(self.keys.waiting(self.site.name, url), json.dumps(waiter, ensure_ascii=False))

    def waiting_for(self, url: str) -> list[dict]:
        return [json.loads(w) for w in self.worker.redis.lrange(self.keys.waiting(self.site.name, url), 0, -1)]


class SharedScripts:
    """SiteState.scripts for a cluster: what one worker read of a script file, every worker
    knows, so a page resolves its menu calls whichever worker has it (as in one process).

    Written at once, not at COMMIT: it is a cache of what a file's text says, the same whoever
    reads the file again; a task redone after its worker died writes the same value."""

    def __init__(self, redis, key: str):
        self.redis, self.key = redis, key

    def __contains__(self, url: str) -> bool:
        return bool(self.redis.hexists(self.key, url))

    def __getitem__(self, url: str) -> dict:
        value = self.redis.hget(self.key, url)
        if value is None:
            raise KeyError(url)
        return json.loads(value)

    def __setitem__(self, url: str, functions: dict) -> None:
        self.redis.hset(self.key, url, json.dumps(functions, ensure_ascii=False))


class _MarkedSet(set):
    """A set whose additions are also reported (to become COMMIT marks)."""

    def __init__(self, items, on_add):
        super().__init__(items)
        self._on_add = on_add

    def update(self, *others):
        new = set().union(*others) - self
        if new:
            self._on_add(sorted(new))
            super().update(new)

    def add(self, item):
        self.update([item])


# -- downloader middlewares ---------------------------------------------------------------------
class TaskStore:
    """What ArchiveMiddleware asks of its Store, on a worker: writes (record_fetch, page_error)
    go into the task the worker is acting for, to be replayed by the writer; reads are the
    writer's answers, asked for (asynchronously) just before the middleware needs them."""

    failure = None   # a worker's archive never fails to write: the writer's does (and stops the crawl)

    def __init__(self, worker: Worker):
        self.worker = worker
        self.answers: dict[tuple, object] = {}

    def _write(self, name: str, args: tuple, kwargs: dict) -> None:
        task = self.worker.current
        if task is None:
            logger.error("%s(%s) outside any task: not recorded", name, args[0] if args else "")
            return
        task.writes.append((name, args, kwargs))

    def record_fetch(self, url, **kwargs):
        self._write("record_fetch", (url,), kwargs)

    def page_error(self, url, error):
        self._write("page_error", (url, error), {})

    def validators(self, url):
        return self.answers.get(("validators", url))

    def known_report(self, url) -> bool:
        return bool((self.answers.get(("archived", url)) or {}).get("known"))

    def page(self, url):
        answer = self.answers.get(("archived", url))
        return {"content_type": answer["content_type"]} if answer and answer["body"] is not None else None

    def raw(self, url):
        return (self.answers.get(("archived", url)) or {}).get("body")


class WorkerArchiveMiddleware(ArchiveMiddleware):
    """ArchiveMiddleware itself, over a TaskStore: each call runs as the request's task (its
    records and counts go with that task), after the writer answered what it will ask."""

    def _open(self, spider):
        self.worker = self.crawler.cluster_worker
        self.store = TaskStore(self.worker)
        self.run_id = None   # the writer's

    def _failed(self, failure, response, spider=None, item=None):
        request = getattr(response, "request", None)
        with self.worker.acting(self.worker.task_of(request) if request is not None else None):
            return super()._failed(failure, response, spider, item)

    def record(self, request, exception) -> str:
        with self.worker.acting(self.worker.task_of(request)):
            return super().record(request, exception)

    async def process_request(self, request, spider=None):
        task = self.worker.task_of(request)
        if task is None:
            return None
        key = ("validators", request.url)
        if request.meta.get("role") in CONDITIONAL_ROLES and not request.meta.get("unconditional"):
            self.store.answers[key] = await self.worker.ask("validators", request.url)
        try:
            with self.worker.acting(task):
                return super().process_request(request, spider)
        finally:
            self.store.answers.pop(key, None)

    async def process_response(self, request, response, spider=None):
        task = self.worker.task_of(request)
        if task is None:
            return response
        keys = {("archived", request.url), ("archived", response.url)}
        if response.status == 304 and request.meta.get("role") in CONDITIONAL_ROLES:
            answer = await self.worker.ask("archived", request.url)
            for key in keys:
                self.store.answers[key] = answer
        try:
            with self.worker.acting(task):
                return super().process_response(request, response, spider)
        finally:
            for key in keys:
                self.store.answers.pop(key, None)

    def process_exception(self, request, exception, spider=None):
        with self.worker.acting(self.worker.task_of(request)):
            return super().process_exception(request, exception, spider)


class WorkerRedirectHopMiddleware(RedirectHopMiddleware):
    """RedirectHopMiddleware, its row and count going with the request's task."""

    def process_response(self, request, response, spider=None):
        worker = self.crawler.cluster_worker
        with worker.acting(worker.task_of(request)):
            return super().process_response(request, response, spider)


class WorkerScopeMiddleware(ScopeMiddleware):
    """ScopeMiddleware, its off-site count going with the request's task."""

    def process_request(self, request, spider=None):
        worker = self.crawler.cluster_worker
        with worker.acting(worker.task_of(request)):
            return super().process_request(request, spider)


class HostLeaseMiddleware:
    """Per-host politeness for the whole cluster: at most CONCURRENT_REQUESTS_PER_DOMAIN
    requests in flight on a host and CLUSTER_HOST_DELAY seconds between their starts,
    counted across every worker (LEASE). The last middleware before the download, so a
    lease is held only while the request is on the wire."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.delay_ms = int(settings.getfloat("CLUSTER_HOST_DELAY") * 1000)
        self.ttl_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 30) * 1000)
        self._lease = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        worker = self.crawler.cluster_worker
        if self._lease is None:
            self._lease = worker.aredis.register_script(LEASE)
        host = urlparse_cached(request).hostname or ""
        lease = uuid.uuid4().hex
        keys = [worker.keys.host(host), worker.keys.host_next(host)]
        while True:
            wait = await self._lease(keys=keys, args=[lease, self.concurrency, self.delay_ms, self.ttl_ms])
            if not wait:
                break
            await asyncio.sleep(min(int(wait), 1000) / 1000)
        request.meta["cluster_lease"] = (host, lease)
        return None

    async def _release(self, request) -> None:
        held = request.meta.pop("cluster_lease", None)
        if held:
            worker = self.crawler.cluster_worker
            await worker.aredis.zrem(worker.keys.host(held[0]), held[1])

    async def process_response(self, request, response, spider=None):
        await self._release(request)
        task = self.crawler.cluster_worker.task_of(request)
        if task is not None:   # the run record's bytes_received, counted as DownloaderStats counts them
            task.bytes += len(response.body) + get_header_size(response.headers) + get_status_size(response.status) + 4
        return response

    async def process_exception(self, request, exception, spider=None):
        await self._release(request)
        return None


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt fetched once per host for the cluster: the first worker to need it fetches
    it and keeps the body in redis; the others parse that body."""

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            body = await self._shared_body(request, netloc)
            waiting = self._parsers[netloc]
            parser = build_from_crawler(self._parserimpl, self.crawler, body) if body is not None else None
            self._parsers[netloc] = parser
            waiting.callback(parser)
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            from scrapy.utils.defer import maybe_deferred_to_future
            return await maybe_deferred_to_future(parser)
        return parser

    async def _shared_body(self, request, netloc: str) -> bytes | None:
        """The host's robots.txt body (None: it could not be fetched, so all is allowed)."""
        worker = self.crawler.cluster_worker
        key, lock = worker.keys.robots(netloc), worker.keys.robots_lock(netloc)
        while True:
            cached = await worker.aredis.get(key)
            if cached is not None:
                return cached[1:] if cached[:1] == b"1" else None
            if await worker.aredis.set(lock, worker.id, nx=True, px=120_000):
                break
            await asyncio.sleep(0.05)
        url = urlparse_cached(request)
        robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         meta={"dont_obey_robotstxt": True}, callback=lambda r: None)
        try:
            response = await self.crawler.engine.download_async(robots)
            body, stored = response.body, b"1" + response.body
        except Exception as exc:   # as Scrapy: an unreadable robots.txt allows everything
            logger.info("robots.txt of %s: %s", netloc, exc)
            body, stored = None, b"0"
        self._stats.inc_value("robotstxt/request_count")
        await worker.aredis.set(key, stored)
        return body


# -- the pipeline: extraction here, storage at the writer ---------------------------------------
class WorkerPipeline:
    """ReportPipeline's Reader on the worker: the worker's pool (WORKER_PROCESSES; 0: in-process)
    runs main's extraction tasks (crawl/tasks.py) where the report was fetched; the item and
    those results go with its task to the writer, whose ReportKeeper keeps them as one process
    keeps them."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.reader = Reader(self.crawler.settings, {s.name: s.region for s in self.crawler.spider.sites})

    def process_item(self, item, spider=None):
        """The item's place in its task is taken now, in the order the spider yielded it; its
        results fill it when the pool is done (Scrapy waits for the Deferred before it releases
        the request, so before the task's COMMIT)."""
        task, url, _ = self.crawler.cluster_worker.item_owner.pop(id(item))
        entry = [item, None, url]
        task.items.append(entry)
        if not reads(item):
            return item

        def read(results):
            entry[1] = results
            return item
        return self.reader.read(item).addCallback(read)

    def close_spider(self, spider=None):
        self.reader.close()


# -- composing a worker crawl -------------------------------------------------------------------
def worker_settings(settings) -> None:
    """A worker's Scrapy settings: the cluster's scheduler, middlewares and pipeline. The
    host delay is the cluster's (LEASE); AutoThrottle, a per-process guess, is off."""
    settings.set("CLUSTER_HOST_DELAY", settings.getfloat("DOWNLOAD_DELAY"), priority="cmdline")
    settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
    settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    settings.set("SCHEDULER", "crawler.crawl.cluster.worker.ClusterScheduler", priority="cmdline")
    mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    mws.pop("crawler.crawl.middlewares.ArchiveMiddleware", None)
    mws.pop("crawler.crawl.middlewares.ScopeMiddleware", None)
    mws.pop("crawler.crawl.middlewares.RedirectHopMiddleware", None)
    mws.pop("crawler.crawl.resume.ResumeMiddleware", None)   # main's: it replays from an archive; a worker has none
    mws.update({"crawler.crawl.cluster.worker.WorkerScopeMiddleware": 50,
                "crawler.crawl.cluster.worker.WorkerRedirectHopMiddleware": 605,
                "crawler.crawl.cluster.worker.WorkerArchiveMiddleware": 585,
                "crawler.crawl.cluster.worker.HostLeaseMiddleware": 950,
                "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                "crawler.crawl.cluster.worker.SharedRobotsTxtMiddleware": 100})
    settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="cmdline")
    settings.set("ITEM_PIPELINES", {"crawler.crawl.cluster.worker.WorkerPipeline": 300}, priority="cmdline")


def worker_spider(spidercls):
    """The spider as a worker runs it: no start requests (the writer seeds the queue)."""
    async def start(self):
        return
        yield  # never reached: this makes start() an empty async generator

    return type(spidercls.__name__, (spidercls,), {"start": start, "__module__": spidercls.__module__})


def attach(crawler, worker: Worker) -> None:
    """Connect the worker to its crawler: task ends, idling while the crawl goes on, the end."""
    crawler.cluster_worker = worker
    crawler.count_sink = worker.count
    loops = []

    def opened(spider):
        from twisted.internet import task as ttask
        worker.spider = spider
        worker.join()
        slot = crawler.engine._slot   # the engine releases each request once its output is processed
        release = slot.remove_request

        def remove_request(request):
            release(request)
            worker.released(request)
        slot.remove_request = remove_request
        loops.append(ttask.LoopingCall(poll))
        loops[0].start(0.25, now=False)

    def poll():
        """Wake the engine when the shared queue has work; close when the crawl is over."""
        engine = crawler.engine
        if not worker.tasks and worker.crawl_over():
            _close(engine, "finished")
        elif worker.reaped:
            _close(engine, "reaped")
        elif worker.writer_gone():
            _close(engine, "writer gone")
        elif engine._slot is not None and worker.redis.zcard(worker.keys.queue):
            engine._slot.nextcall.schedule()

    def idle(spider):
        if not worker.reaped and not worker.crawl_over():
            raise DontCloseSpider

    def closed(spider, reason):
        for loop in loops:
            if loop.running:
                loop.stop()
        worker.leave()

    crawler.signals.connect(opened, signal=signals.spider_opened, weak=False)
    crawler.signals.connect(idle, signal=signals.spider_idle, weak=False)
    crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)


def _close(engine, reason: str) -> None:
    if engine.spider is not None and not getattr(engine, "_cluster_closing", False):
        engine._cluster_closing = True
        from scrapy.utils.defer import deferred_from_coro
        deferred_from_coro(engine.close_spider_async(reason=reason))


def _hostname() -> str:
    import socket
    return socket.gethostname().split(".")[0] or "worker"


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""
