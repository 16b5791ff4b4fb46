# Two commands: `make build` and `make test`. Both set everything up first and can be
# run again at any time: the Debian packages and the virtual environment are only
# installed when something is missing or requirements.txt changed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
AXE    := node_modules/axe-core/axe.min.js

.PHONY: build test check bench serve new setup test-setup build-deps test-deps clean

build: setup
	$(PY) build.py

test: test-setup
	$(PY) -m pytest

check: setup
	$(PY) build.py check --strict

bench: setup
	$(PY) scripts/bench.py

serve: setup
	$(PY) build.py serve

new: setup
	@test -n "$(ID)" || { echo "usage: make new ID=lesson-id"; exit 2; }
	$(PY) build.py new $(ID)

# Building needs a Korean font, Pango and HarfBuzz; the tests also need Chromium,
# LibreOffice, poppler, zbar and axe-core.
setup: build-deps $(STAMP)

test-setup: test-deps $(STAMP) $(AXE)

build-deps:
	@bash scripts/debian-deps.sh build

test-deps:
	@bash scripts/debian-deps.sh test

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(AXE)

clean:
	rm -rf output .cache .pytest_cache
