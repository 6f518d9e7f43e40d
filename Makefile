# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# E-mail links point at the address actually served, unless the environment says otherwise.
export VAE_SITE_URL ?= http://$(HOST):$(PORT)
export WAGTAILADMIN_BASE_URL ?= $(VAE_SITE_URL)

.PHONY: run test setup install migrate lint fmt bench clean system-run system-test system-bench

# System libraries (WeasyPrint, Chromium for the browser tests): installed when missing
# as root, otherwise the exact apt-get command is printed. One script, shared with CI.
system-run:
	@PYTHON=$(PYTHON) scripts/system-packages run

system-test:
	@PYTHON=$(PYTHON) scripts/system-packages test

system-bench:
	@PYTHON=$(PYTHON) scripts/system-packages bench

# Re-install only when the dependency list changed.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# Not editable: the project runs from its checkout and only brings its dependencies.
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: system-run $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py createcachetable

setup: migrate
	$(PY) manage.py load_referentiel
	$(PY) manage.py demo

run: setup
	@echo "Site : http://$(HOST):$(PORT)/   Administration : http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The suite runs in TEST_WORKERS processes (pytest-xdist), one a core by default; each
# worker has its own test database. `make test TEST_WORKERS=1` runs it in one process, as
# a plain `pytest` does.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 1)

# The slowest tests are listed at the end of each run: where the suite's time goes.
test: system-test setup lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest --durations=30 $(if $(CI),,--reuse-db) $(if $(filter-out 0 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile)

bench: system-bench install
	VAE_BENCH=1 $(PY) -m pytest tests/benchmarks -s -q

clean:
	rm -rf $(VENV) var db.sqlite3
