"""Scrapy settings: polite by default, no listening sockets."""
from crawler import user_agent

BOT_NAME = "gov-report-archive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

try:   # ARCHIVE_CONTACT in the environment: who to write to (the CLI refuses a bad one first)
    USER_AGENT = user_agent()
except ValueError:
    USER_AGENT = user_agent("")
ROBOTSTXT_OBEY = True

# Politeness: a handful of connections per host, a small randomised delay.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_DELAY_JITTER = 0.5  # each delay is 0.5–1.5 × DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# Scrapy's downloader, but the per-host limit holds also with DOWNLOAD_DELAY=0 (see the module)
DOWNLOADER = "crawler.crawl.downloader.Downloader"
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 40 * 1024 * 1024
# DOWNLOAD_MAXSIZE counts body bytes only: a response's headers are capped by the download
# handler (crawler/crawl/download.py), so an endless header stream costs 256 KB, not gigabytes.
DOWNLOAD_HEADERS_MAXSIZE = 256 * 1024
DOWNLOAD_HANDLERS = {
    "http": "crawler.crawl.download.CappedHTTPDownloadHandler",
    "https": "crawler.crawl.download.CappedHTTPDownloadHandler",
}

# Transient errors are retried; anti-bot walls (403/412/521) are recorded, not hammered.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A 429/503 is retried after its Retry-After (this long when absent), the host held back meanwhile;
# a server asking for more than RETRY_AFTER_MAX seconds gets its page asked again next run.
RETRY_AFTER_MAX = 60
RETRY_AFTER_DEFAULT = 5
HTTPERROR_ALLOW_ALL = True

# No telnet console, no remote-control HTTP server: a crawl opens no listening socket.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

COOKIES_ENABLED = False
DEPTH_LIMIT = 250  # pagination chains (下一页 → 下一页 …) are long; the spider caps list pages per site itself

# A site that answers this many requests in a row with an anti-bot wall is asked nothing more
# this run (middlewares.ScopeMiddleware); 0 keeps asking.
WALL_SKIP_AFTER = 3

DOWNLOADER_MIDDLEWARES = {
    "crawler.crawl.middlewares.ScopeMiddleware": 50,     # first: nothing off a site's hosts is fetched
    "crawler.crawl.middlewares.ArchiveMiddleware": 585,  # after decompression, before meta refresh and retry
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.crawl.middlewares.PoliteRetryMiddleware": 550,  # Scrapy's retries, honouring Retry-After
    "crawler.crawl.middlewares.RedirectHopMiddleware": 605,  # each redirect answer, before RedirectMiddleware
    # meta refresh and the HTTP Refresh header alike, where Scrapy's meta refresh stood
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.crawl.middlewares.RefreshMiddleware": 580,
    "crawler.crawl.resume.ResumeMiddleware": 595,  # after the archive's and compression's request hooks
}
# A crawl after an interrupted one (killed, failed, stopped) replays that run's answers from the
# archive instead of fetching them again (crawl/resume.py), if it started at most this long ago.
RESUME = True
RESUME_MAX_AGE_HOURS = 24
ITEM_PIPELINES = {
    "crawler.crawl.pipelines.ReportPipeline": 300,
}

# CPU work (extraction, attachment text, signatures, analysis) runs in worker processes
# (crawler/crawl/workers.py), each task within a time and a memory budget; a task that
# hangs, crashes or runs out of memory fails alone, recorded with its reason.
WORKER_PROCESSES = None      # one per core; 0 runs the same tasks in-process, without budgets
WORKER_MEMORY_MB = 1024      # address-space limit of each worker (RLIMIT_AS)
WORKER_PAGE_TIMEOUT = 30     # seconds for one report page (its parts included)
WORKER_FILE_TIMEOUT = 60     # seconds for one attachment, and for one report's analysis
WORKER_PAGE_HOOK = None      # tests only: module:function called in the worker before extraction

# The archive's writes committed together, at most this many seconds apart (Store.group_commits):
# a commit costs more than most writes (the search index writes a segment), and a killed crawl keeps
# what it had stored up to this long before, from which the next run resumes. 0: one commit a write.
ARCHIVE_COMMIT_SECONDS = 1.0

# Items (and requests) of one callback's output processed at once. Scrapy's default, 100, starts 100
# asyncio tasks for every response whatever it yields (a report page yields one item): 44,000 tasks
# for 440 responses, a tenth of the reactor's time on the bench web (bench/README.md).
CONCURRENT_ITEMS = 8

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
