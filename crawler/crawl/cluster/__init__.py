"""A crawl shared by workers on many machines through one redis-server (scrapy-redis).

    python -m crawler crawl --redis URL      the writer: seeds the queue, holds the archive
    python -m crawler worker --redis URL     a worker: fetches and extracts, from anywhere

- protocol.py  key names and the Lua scripts that make each step atomic
- worker.py    the worker's Scrapy parts: a reliable scrapy-redis scheduler, the spider's
               shared memory, ArchiveMiddleware without a database, per-host leases,
               robots.txt once per host, ReportPipeline's Reader (extraction in its pool)
- writer.py    the writer: seeds, stores task results in commit order, answers questions,
               requeues dead workers' requests, ends the crawl when it runs dry

The README's "A shared crawl" section says what travels where and why.
"""
