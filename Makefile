# The two set-up commands: `make demo` runs OpenRAA on SQLite with the demo region on port 8000;
# `make test` runs the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set); `make lint` is the
# quality gate (ruff, the format check, mypy against its baseline) that CI runs before the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	OPENRAA_DEBUG=1 $(BIN)/openraa migrate --noinput
	OPENRAA_DEBUG=1 $(BIN)/openraa demo_region --all
	OPENRAA_DEBUG=1 OPENRAA_REQUIRE_2FA=$${OPENRAA_REQUIRE_2FA:-0} $(BIN)/openraa runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/mypy_gate.py

clean:
	rm -rf $(VENV) openraa.sqlite3 openraa.sqlite3-wal openraa.sqlite3-shm staticfiles .pytest_cache .hypothesis .mypy_cache .ruff_cache
