"""Storage: the only code that knows the schema or writes SQL (archive.py), and its migrations."""
from .archive import REPORT_COLUMNS, Store, StoreWriteError, now, sha256, write_failure

__all__ = ["REPORT_COLUMNS", "Store", "StoreWriteError", "now", "sha256", "write_failure"]
