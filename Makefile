# parindex — development tasks. GNU make.
#   make run    install, migrate, load the sample data (once), serve http://127.0.0.1:8000/
#   make test   lint, migration check, tests on SQLite (with coverage) and on PostgreSQL
# SKIP_POSTGRES=1 skips the PostgreSQL run explicitly; otherwise an unreachable
# PostgreSQL at PG_URL fails `make test`.

PY ?= python3.11
VENV = .venv
BIN = $(VENV)/bin
PYTHON = $(BIN)/python
STAMP = $(VENV)/.installed
PYTEST = $(PYTHON) -m pytest
DJANGO = $(PYTHON) -m django
RUN_ADDR ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/parindex_ci
SKIP_POSTGRES ?=

export DJANGO_SETTINGS_MODULE = parindex.web.settings
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: venv install run test check-postgres lint format migrations-check \
	test-sqlite test-postgres bench clean distclean

venv install: $(STAMP)

$(PYTHON):
	$(PY) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install -e '.[dev]'
	touch $@

# The demo step loads the sample province once (it does nothing when data exists) and prints
# the accounts to try; `python -m django demo --reset` rebuilds it.
run: $(STAMP)
	$(DJANGO) migrate --noinput
	$(DJANGO) demo
	@echo "parindex đang chạy tại http://$(RUN_ADDR)/ (dừng bằng Ctrl+C)"
	$(DJANGO) runserver $(RUN_ADDR)

test: check-postgres lint migrations-check test-sqlite test-postgres

check-postgres: $(STAMP)
ifeq ($(SKIP_POSTGRES),1)
	@echo "SKIP_POSTGRES=1: bỏ qua lượt kiểm thử trên PostgreSQL (PostgreSQL run skipped)."
else
	@err=$$($(PYTHON) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], dbname="postgres", connect_timeout=5).close()' '$(PG_URL)' 2>&1) || { \
	  echo "LỖI: không kết nối được PostgreSQL theo PG_URL=$(PG_URL)." >&2; \
	  printf '%s\n' "$$err" | sed -n '/Error: /,$$p' >&2; \
	  echo "     Hãy khởi động PostgreSQL, đặt PG_URL=..., hoặc chạy với SKIP_POSTGRES=1." >&2; \
	  echo "(ERROR: PostgreSQL unreachable; start it, set PG_URL, or set SKIP_POSTGRES=1.)" >&2; \
	  exit 1; }
	@echo "PostgreSQL sẵn sàng: $(PG_URL)"
endif

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(DJANGO) makemigrations --check --dry-run

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(PYTEST) --cov=parindex.core --cov-report=term-missing --cov-fail-under=95

test-postgres: check-postgres
ifneq ($(SKIP_POSTGRES),1)
	DATABASE_URL='$(PG_URL)' $(PYTEST) --create-db
endif

bench: $(STAMP)
	$(PYTHON) bench/engine.py

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov bench/out test-artifacts \
		build dist src/*.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
