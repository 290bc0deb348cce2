# One command to run the app with demo data, one to run the tests. See README.md.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/sotay_test
# Two workers: the machine has two cores. Resources a test makes its own (PostgreSQL
# databases, data dirs) carry the worker id, so the workers never share one.
PYTEST_PAR ?= -n 2

.PHONY: run test lint install services system-deps

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the app on the embedded default (SQLite, local broker, in-process worker) with demo data.
run: install
	$(BIN)/sotay demo
	$(BIN)/sotay serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check app pipelines vectorstore audio tests benchmarks
	$(BIN)/ruff format --check app pipelines vectorstore audio tests benchmarks
	$(BIN)/mypy

## Lint, then the whole suite on SQLite, then again on PostgreSQL. The browser tests serve
## their pages from a server of their own whatever the database, so they run once.
test: install system-deps services lint
	$(BIN)/python -m pytest tests $(PYTEST_PAR)
	SOTAY_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests -m "not browser" $(PYTEST_PAR)

system-deps:
	bash .ci/system-deps

services:
	bash .ci/services
