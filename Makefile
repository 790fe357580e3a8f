# make install  - create or update .venv (idempotent)
# make lint     - install if needed, check the code with ruff (pyproject.toml configures it)
# make test     - install if needed, lint, then run the whole test suite
# make demo     - install if needed, crawl the bundled demo portals and serve them with Datasette
# make cluster  - install if needed, a shared crawl of the demo portals: redis on loopback, a writer, 2 workers
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install browser redis lint test demo cluster bench clean

install: $(STAMP)

# The browser test drives Debian's Chromium; Chinese text needs CJK fonts.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig; \
	fi

# The shared-crawl tests and `make cluster` start their own redis-server (on loopback, never
# the system service, which they do not need running).
redis:
	@if ! command -v redis-server >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends redis-server; \
	fi

$(STAMP): requirements.lock requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip check
	touch $(STAMP)

lint: install
	$(PY) -m ruff check .

test: install lint browser redis
	$(PY) -m pytest

demo: install
	$(PY) -m crawler demo

cluster: install redis
	$(PY) -m crawler.devtools.cluster

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
