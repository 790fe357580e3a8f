"""Storage: the only code that knows the schema or writes SQL (archive.py), and its migrations."""
from .archive import REPORT_COLUMNS, Store, now, sha256

__all__ = ["REPORT_COLUMNS", "Store", "now", "sha256"]
