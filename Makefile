# policygraph — the two commands a newcomer needs:
#   make run    create .venv, install, build the graph and serve it on 127.0.0.1:8000
#   make test   create .venv, install with the test extras, lint, type-check, run the suite

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PACKAGES = ontology graph viz serving api cli

.PHONY: run test install lint typecheck pytest build clean browsers virtuoso bench-install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

build: install
	$(BIN)/policygraph build

run: build
	$(BIN)/policygraph serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check $(PACKAGES) tests bench
	$(BIN)/ruff format --check $(PACKAGES) tests bench

typecheck: install
	$(BIN)/mypy

# Debian packages: Chromium and CJK fonts for the browser tests; wrk for the throughput
# benchmark. Installed with apt (as root, or through sudo) only when missing.
APT = $(if $(filter 0,$(shell id -u)),,sudo) apt-get
browsers:
	@[ -x /usr/bin/chromium ] || { $(APT) update -qq && $(APT) install -y -qq chromium fonts-noto-cjk; }

# OpenLink Virtuoso 7.2 from Debian's virtuoso-opensource: the second SPARQL server the remote
# tests run on (tests/graph/remote/conftest.py starts it on loopback ports with its own
# database). Only its programs (virtuoso-opensource-7-bin: virtuoso-t, isql-vt): the full
# package would also start a system server on all interfaces with the default DBA password.
APT_UNASKED = $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get
virtuoso:
	@[ -x /usr/bin/virtuoso-t ] || { $(APT) update -qq && $(APT_UNASKED) install -y -qq --no-install-recommends virtuoso-opensource-7-bin; }

bench-install: install
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@command -v wrk >/dev/null || { $(APT) update -qq && $(APT) install -y -qq wrk; }

pytest: install browsers virtuoso
	$(BIN)/python -m pytest -n auto --doctest-modules $(PACKAGES) tests

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
