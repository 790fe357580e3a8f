"""Spiders decide where to go: report columns, their pagination, report pages, attachments."""
