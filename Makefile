# Renfort: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest processes per database run (pytest-xdist): one per core, at least 2. Each test file runs
# in one process (--dist loadfile): a module's large world (fixture scope="module") is built once.
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -lt 2 ] && n=2; echo $$n)
export RENFORT_HOME := $(CURDIR)

.PHONY: demo test install install-test lint typecheck migrations-check test-sqlite test-postgres bench loadtest worker messages clean browser screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The demo runs in development mode: DEBUG on (a development key, console mail, plain HTTP).
demo: export DEBUG ?= true
demo: install
	$(BIN)/renfort migrate --no-input
	$(BIN)/renfort demo --if-empty
	$(BIN)/renfort serve 127.0.0.1:8000

lint: install-test
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	cd src && ../$(BIN)/lint-imports --no-cache ../pyproject.toml

typecheck: install-test
	$(BIN)/mypy
	$(BIN)/mypy --strict -p renfort.planner

migrations-check: install-test
	DATABASE_URL= $(BIN)/renfort makemigrations --check --dry-run

# Debian's Chromium for the browser journeys (Playwright's own browser download does not work
# here): installed with apt when we are root; elsewhere the journeys skip and say why (under
# CI=true they fail instead).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser journeys"; \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)); \
	  else echo "No /usr/bin/chromium and no root apt-get: the browser journeys will skip (they fail under CI=true)."; fi; \
	fi

# The browser journeys run here, once, on SQLite (they skip on PostgreSQL).
test-sqlite: install-test browser
	DATABASE_URL= $(BIN)/pytest -n $(JOBS) --dist loadfile

# The user guide's screenshots (docs/screenshots/), taken by the browser journeys.
screenshots: install-test browser
	RENFORT_SCREENSHOTS=1 DATABASE_URL= $(BIN)/pytest -q -m browser src/renfort/browser

# PostgreSQL runs when it answers; under CI=true it is mandatory.
test-postgres: install-test
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL =="; DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(JOBS) --dist loadfile; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_URL) does not answer and CI=true: failing." >&2; exit 1; \
	else \
		echo "PostgreSQL at $(PG_URL) does not answer: skipping the PostgreSQL run (set CI=true to require it)."; \
	fi

test: lint typecheck migrations-check test-sqlite test-postgres

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/renfort bench --real-calendar -o docs/benchmarks.md

# The load benchmark (docs/performance.md, "Load"): starts gunicorn (2 workers, DEBUG off) and a
# task worker on a free loopback port against DATABASE_URL, 20 people for 1 + 5 minutes, then
# each page in a closed loop. LOAD_LABEL names the data set (demo, ten-years). DEBUG is set for
# the client's own process only (it serves nothing); the server it starts runs with DEBUG off.
LOAD_LABEL ?= demo
loadtest: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL (PostgreSQL) for the load benchmark." >&2; exit 2; }
	DEBUG=true $(BIN)/renfort loadtest --serve --label $(LOAD_LABEL) $(LOAD_ARGS)

worker: install
	DEBUG=$${DEBUG:-true} $(BIN)/renfort worker

messages: install-test
	cd src && ../$(BIN)/renfort makemessages -l fr --no-obsolete --ignore 'renfort/planner/*' && ../$(BIN)/renfort compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
