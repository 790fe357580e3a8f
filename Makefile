# make install  - create or update .venv (idempotent)
# make lint     - install if needed, check the code with ruff (pyproject.toml configures it)
# make test     - install if needed, lint, the Debian packages the tests need (Chromium, CJK fonts,
#                redis-server: only those missing, one apt-get update), then run the whole test suite
# make demo     - install if needed, crawl the bundled demo portals and serve them with Datasette
# make cluster  - install if needed, a shared crawl of the demo portals: redis on loopback, a writer, 2 workers
# make fuzz     - bench/fuzz.py: 10,000 malformed pages, 1,000 malformed files, every crawl trap
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install system browser redis lint test demo cluster bench compare compare-quick search-bench fuzz clean

install: $(STAMP)

# Debian packages pip cannot install, each checked first and installed only when missing,
# with one `apt-get update` for all of them: Chromium and CJK fonts for the browser test
# (Chinese text), redis-server for the shared-crawl tests and `make cluster` (they start
# their own redis-server on loopback; the system service need not run).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NEED_BROWSER = { command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need="$$need chromium fonts-noto-cjk fontconfig"; }
NEED_REDIS = { command -v redis-server >/dev/null || need="$$need redis-server"; }
define apt_install
	@need=""; $(1); if [ -n "$$need" ]; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$need; \
	fi
endef

system:
	$(call apt_install,$(NEED_BROWSER); $(NEED_REDIS))

browser:
	$(call apt_install,$(NEED_BROWSER))

redis:
	$(call apt_install,$(NEED_REDIS))

$(STAMP): requirements.lock requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip check
	touch $(STAMP)

lint: install
	$(PY) -m ruff check .

test: install lint system
	$(PY) -m pytest

demo: install
	$(PY) -m crawler demo

cluster: install redis
	$(PY) -m crawler.devtools.cluster

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
