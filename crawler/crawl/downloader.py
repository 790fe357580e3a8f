"""Scrapy's downloader, with its per-host concurrency limit kept when DOWNLOAD_DELAY is 0.

Scrapy 2.19's downloader lets a request go from a host's slot by scheduling a task (on the
asyncio reactor) that marks it "transferring" only when the task first runs. With a download
delay, the slot releases one request per wake-up, so that does not matter; without one, the
release loop asks `free_transfer_slots()` again before any of the scheduled tasks has run, sees
the slot still free and lets every queued request for that host go at once:
CONCURRENT_REQUESTS_PER_DOMAIN=1 was measured sending three requests to one host together.
Politeness without a delay (a user's `-s DOWNLOAD_DELAY=0`, the bench's peer settings) then has
no per-host limit at all, and a 429 meets requests already on the wire.

The mend: a slot's queue that marks a request transferring the moment it is taken from the
queue. Scrapy adds it to the same set again when the transfer starts (a set: no change) and
removes it when the transfer ends, as before.
"""
from __future__ import annotations

from collections import deque

from scrapy.core.downloader import Downloader as ScrapyDownloader


class ClaimingQueue(deque):
    """A slot's queue of (request, deferred) whose `popleft` claims a transfer place at once."""

    def __init__(self, slot, items=()):
        super().__init__(items)
        self.slot = slot

    def popleft(self):
        request, deferred = super().popleft()
        self.slot.transferring.add(request)
        return request, deferred


class Downloader(ScrapyDownloader):
    """Scrapy's downloader whose slots count a released request as transferring at once."""

    def _get_slot(self, request, spider=None):
        key, slot = super()._get_slot(request)
        if not isinstance(slot.queue, ClaimingQueue):
            slot.queue = ClaimingQueue(slot, slot.queue)
        return key, slot
