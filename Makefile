# Every target bootstraps .venv itself: a fresh clone needs only Python >= 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat run test test-postgres lint bench eval check-kb migration clean

# A student for `make chat` (USER is taken: the shell sets it to your login name).
STUDENT ?= 1
NAME ?= Student

# Progress, one line per package, while the install runs (about a minute the first time);
# pip's warnings and errors still show in full.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "Creating $(VENV) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "Installing the tutor and its dependencies into $(VENV) (about a minute the first time) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@set -o pipefail; $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]' \
		| grep --line-buffered -E '^(Collecting|Installing|Successfully)' | sed -u 's/^/  /'
	@touch $(STAMP)

chat: $(STAMP) ## the tutor in this terminal, no token needed: make chat [STUDENT=2 NAME=Sam]
	@$(BIN)/tutor chat --user $(STUDENT) --name "$(NAME)"

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
