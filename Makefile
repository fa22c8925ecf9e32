# The two commands the README documents are `make run` and `make test`; the rest are their parts.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/lore

.PHONY: run test test-postgres lint deps dev-deps system-deps browser-deps migrate seed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip setuptools
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip setuptools
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.deps $@

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Debian's Chromium and the axe-core package the browser tests inject; skipped politely without root.
system-deps:
	bash .ci/install-system-deps

migrate: deps
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py loaddata john_wick sherlock_holmes
	$(PY) manage.py populate_history --auto --verbosity 0

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: dev-deps system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL (pytest-django creates and drops the test_ database itself).
test-postgres: dev-deps system-deps
	DATABASE_URL=$(POSTGRES_TEST_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: dev-deps
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
