# make install  - create or update .venv (idempotent)
# make test     - install if needed, run the whole test suite
# make demo     - install if needed, crawl the bundled demo portals and serve them with Datasette
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test demo bench clean

install: $(STAMP)

$(STAMP): requirements.lock requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip check
	touch $(STAMP)

test: install
	$(PY) -m pytest

demo: install
	$(PY) -m crawler demo

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
