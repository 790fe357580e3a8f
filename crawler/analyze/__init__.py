"""Pure analysis of extracted reports: near-duplicates, site health. No Scrapy, no SQL."""
