# Every target bootstraps .venv itself: a fresh clone needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat run test test-postgres lint bench eval check-kb migration clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

chat: $(STAMP) ## the tutor in this terminal, no token needed
	@$(BIN)/tutor chat

run: $(STAMP) ## the Telegram bot (needs TELEGRAM_BOT_TOKEN)
	$(BIN)/tutor run

test: $(STAMP) ## the whole test suite, on SQLite (needs nothing installed)
	$(BIN)/pytest -q

test-postgres: $(STAMP) ## the whole suite on a throwaway PostgreSQL server (needs initdb)
	$(BIN)/python -m tests.postgres_server $(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP) ## benchmarks; figures go to BENCHMARKS.md
	$(BIN)/python -m bench

eval: $(STAMP) ## the marker against the labelled corpus (dev and test parts)
	$(BIN)/python -m evaluation --benchmarks

check-kb: $(STAMP) ## validate the knowledge base
	$(BIN)/tutor kb check

migration: $(STAMP) ## write the next migration from storage/models.py: make migration MESSAGE="..."
	$(BIN)/python -m storage.migrate "$(MESSAGE)"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
