"""What the workers' fork server loads once, before it forks a worker: shared, not copied.

A worker forked from the fork server shares the server's memory page for page until either
writes to it. Two things made each worker copy what could have been shared:

- trafilatura's fallback (jusText) builds, on first use in a process, a stop-word list of every
  language it knows (~150,000 words, ~34 MiB): each worker built its own. Built here, once, it is
  the same list every worker would have built — only not built twice.
- Python's cyclic garbage collector writes into the header of every object it tracks, so a
  worker's first full collection touched nearly every page of the imported modules and copied
  them. `gc.freeze()` moves everything loaded here out of the collector's reach (it is never
  garbage: modules and their functions live as long as the process).

Results do not change: the same functions, the same lists; only where their memory lives."""
from __future__ import annotations

import gc

from crawler.crawl import tasks  # noqa: F401 - the workers' functions, imported once


def _stop_words() -> None:
    """Build trafilatura's all-language jusText stop-word list (and jusText's frozen set of it)
    the way its first use in a worker would; nothing if the pinned version has other names."""
    try:
        from justext.core import define_stoplist
        from trafilatura import external
    except ImportError:
        return
    build = getattr(external, "jt_stoplist_init", None)
    if build is not None and getattr(external, "JT_STOPLIST", None) is None:
        define_stoplist(build())


_stop_words()
gc.freeze()
