# Rapport: two commands on a fresh machine.
#   make run    set up .venv, migrate, load the demo company, serve on http://127.0.0.1:$(PORT)
#   make test   lint, checks and the whole test suite (SQLite, or DATABASE_URL when set)
#   make bench  benchmarks under bench/ (BENCH=name, SCALE=small|full)
#   make loadtest  locust against gunicorn on 127.0.0.1 with 50,000 clients (not part of make test)
#   make screenshots  refresh the images in docs/img from the demo company (Playwright + Debian chromium)
#   make clean  remove the virtualenv, the development database and collected static files

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BENCH ?= all
SCALE ?= small
PYTEST_ARGS ?=
# Test workers (pytest-xdist): one per core, at most four (each worker builds its own test database). Tests are
# handed out one at a time in collection order, which keeps pytest-django's order on every worker: a test that
# flushes the database (a browser test on a live server) is never followed by one that needs the migrations' data.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
LOAD_ARGS ?=

# A dummy key that satisfies the production settings (>= 50 characters) for the deploy check only.
DEPLOY_CHECK_SECRET := deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH

# Stamps inside .venv: the project is re-installed whenever pyproject.toml changes.
STAMP_RUN := $(VENV)/.stamp-run
STAMP_DEV := $(VENV)/.stamp-dev
STAMP_LOAD := $(VENV)/.stamp-load

.PHONY: help run test lint check bench loadtest screenshots clean

help:
	@echo "make run [PORT=8000]            set up and serve Rapport with the demo company (SQLite)"
	@echo "make test [PYTEST_ARGS=...]     ruff, Django checks, migrations check and pytest (PYTEST_WORKERS=n)"
	@echo "make bench [BENCH=all SCALE=small|full]   benchmarks against their floors"
	@echo "make loadtest [LOAD_ARGS=...]   load test: 0 server errors, < 1 % failures, p95 < 800 ms"
	@echo "make screenshots                refresh docs/img from the demo company"
	@echo "make clean                      remove .venv, db.sqlite3 and staticfiles"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py demo
	@echo "Starting the task worker (assignment plans run in the background) and the server."
	$(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP_DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The deploy check drops DJANGO_ALLOW_ASYNC_UNSAFE (set for the browser tests): it is itself a deployment error.
check: $(STAMP_DEV)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=config.settings.production \
		SECRET_KEY='$(DEPLOY_CHECK_SECRET)' ALLOWED_HOSTS=example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

test: lint check
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist load --maxschedchunk 1 $(PYTEST_ARGS)

bench: $(STAMP_DEV)
	$(PY) bench/run.py --bench '$(BENCH)' --scale '$(SCALE)'

# locust and gunicorn come from the "load" extra, which make test does not install.
$(STAMP_LOAD): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[load]'
	touch $@ $(STAMP_RUN)

loadtest: $(STAMP_LOAD)
	$(PY) loadtest/run.py $(LOAD_ARGS)

screenshots: $(STAMP_DEV)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
