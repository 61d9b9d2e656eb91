# Two commands do all set-up (see README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: demo serve test lint layers typecheck migrations-check pytest coverage-floors mutation lock clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

## Run the app with demo data on SQLite at http://127.0.0.1:$(PORT)/
demo: $(STAMP)
	$(BIN)/trdnav demo --port $(PORT)

## Run every check: lint, types, migrations, the whole test suite, and coverage per package
test: lint layers typecheck migrations-check pytest coverage-floors

LINTED := src tests $(wildcard benchmarks) scripts/crash-test scripts/coverage-floors
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

## Import layers of the core and the apps ([tool.importlinter] in pyproject.toml)
layers: $(STAMP)
	$(BIN)/lint-imports --no-cache

## mypy strict ([tool.mypy]) for every trdnav module and for the tests
typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy tests

migrations-check: $(STAMP)
	DATABASE_URL=sqlite:///:memory: DJANGO_SETTINGS_MODULE=trdnav.site.test_settings $(BIN)/django-admin makemigrations --check --dry-run

## Kill the server with SIGKILL under write load; check every acknowledged write (not in CI)
.PHONY: crash-test load-test bench
crash-test: $(STAMP)
	$(BIN)/python scripts/crash-test $(CRASH_ARGS)

## 50 clients of mixed reads and writes for 60 s through the real server (docs/deployment.md)
load-test: $(STAMP)
	$(BIN)/python benchmarks/mixed_load.py --clients 50 --seconds 60

## Every benchmarks/bench_*.py, stopped after BENCH_SECONDS in all; tables on screen, JSON in
## benchmark-results/ (docs/performance.md). Never part of `make test`. BENCH_ARGS=--smoke: tiny.
BENCH_SECONDS ?= 1800
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --seconds $(BENCH_SECONDS) $(BENCH_ARGS)

## The suite, collecting line coverage of trdnav into .coverage (COVERAGE= turns it off)
COVERAGE ?= --cov=trdnav --cov-report=
pytest: $(STAMP)
	@scripts/ensure-chromium
	$(BIN)/pytest -n auto $(COVERAGE) $(PYTEST_ARGS)

## Line coverage per package against its floor ([tool.trdnav.coverage-floors]); after `make pytest`
coverage-floors: $(STAMP)
	$(BIN)/python scripts/coverage-floors

## Mutation run over the options engine, the rule loader and the protocol safety checks (slow;
## not part of `make test`). MUTANTS narrows it by mutant-name glob, e.g.
## MUTANTS='trdnav.core.protocols*' or MUTANTS='trdnav.core.recommend.assess*';
## MUTATION_JOBS sets workers.
MUTANTS ?=
MUTATION_JOBS ?= 2
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(BIN)/mutmut results

## Re-pin requirements.lock from pyproject.toml (needs uv on PATH)
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header --no-annotate -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts mutants .coverage .coverage.*
