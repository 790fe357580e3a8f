# make install  - create or update .venv (idempotent)
# make lint     - install if needed, check the code with ruff (pyproject.toml configures it)
# make test     - install if needed, lint, then run the whole test suite
# make demo     - install if needed, crawl the bundled demo portals and serve them with Datasette
# make fuzz     - bench/fuzz.py: 10,000 malformed pages, 1,000 malformed files, every crawl trap
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install browser lint test demo bench compare compare-quick search-bench fuzz clean

install: $(STAMP)

# The browser test drives Debian's Chromium; Chinese text needs CJK fonts.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig; \
	fi

$(STAMP): requirements.lock requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip check
	touch $(STAMP)

lint: install
	$(PY) -m ruff check .

test: install lint browser
	$(PY) -m pytest

demo: install
	$(PY) -m crawler demo

bench: install
	$(PY) bench/run.py

compare: install
	$(PY) bench/compare.py

compare-quick: install
	$(PY) bench/compare.py --quick

search-bench: install
	$(PY) bench/search.py

fuzz: install
	$(PY) bench/fuzz.py

clean:
	rm -rf $(VENV) .pytest_cache
