"""Publication: Datasette on the archive (serve.py), the downloadable dataset (export.py), WARC (warc.py)."""
