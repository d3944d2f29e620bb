# rightsnet: `make run` serves the site on SQLite with the sample data,
# `make test` runs every test. Both start from a machine with only Python 3.11+.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install install-test migrate messages compilemessages check-translations sampledata \
	run test ensure-chromium ensure-libreoffice ensure-frontend-tools ensure-redis ensure-postgresql serve serve-env loadtest lint format clean

help:
	@echo "make run        serve the site on http://$(HOST):$(PORT)/ with the sample data (SQLite unless DATABASE_URL)"
	@echo "make test       run every test (PYTEST_ARGS='-m browser' or '-m \"not browser\"' to choose)"
	@echo "make serve      production-like: gunicorn + WhiteNoise, debug off (needs DJANGO_SECRET_KEY)"
	@echo "make loadtest   requests/s, p50/p99 of gunicorn under load, beside Datasette (LOADTEST_ARGS='--help')"
	@echo "make messages   update locale/*.po from the code and templates"
	@echo "make check-translations  fail if a string in the code is missing from locale/"
	@echo "make lint       ruff check and format check"

# The project itself is no importable package (packages = []): installing it only
# brings in its dependencies, so a plain install avoids editable-mode noise.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "rightsnet needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)." \
		"Run e.g. 'make PYTHON=python3.12 ...'."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian/Ubuntu install" \
		"the venv module first (apt-get install python3-venv)."; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

compilemessages: install
	$(PY) manage.py compiletranslations

migrate: install
	$(PY) manage.py migrate --noinput

sampledata: migrate
	$(PY) manage.py load_sample_data

run: compilemessages sampledata
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test compilemessages ensure-chromium ensure-libreoffice ensure-frontend-tools ensure-redis ensure-postgresql
	$(PY) -m pytest $(PYTEST_ARGS)

# Debian's chromium for the browser tests, installed when missing if we are root.
ensure-chromium:
	@scripts/ensure-chromium

# Debian's libreoffice-calc-nogui for tests/test_libreoffice.py (the exports as LibreOffice
# reads them), installed when missing if we are root.
ensure-libreoffice:
	@scripts/ensure-libreoffice

# axe-core and the Nu Html Checker (package.json) for the accessibility and HTML validity
# tests: node/npm and Java installed when missing if we are root, then `npm ci` when
# node_modules/ is missing or stale.
ensure-frontend-tools:
	@scripts/ensure-frontend-tools

# Redis on 127.0.0.1:6379 for the two-instance test: installed when missing if we
# are root, started when not running.
ensure-redis:
	@scripts/ensure-redis

# PostgreSQL's server programs for the outage test's throwaway cluster (any database).
ensure-postgresql:
	@scripts/ensure-postgresql

# Every translatable string in the code is in locale/*/django.po (needs GNU gettext).
check-translations: install
	$(PY) scripts/check_translations.py

# Production-like: debug off, so a secret key is required; hosts default to HOST.
SERVE_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-0} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}

serve-env:
	@if [ -z "$${DJANGO_SECRET_KEY:-}" ]; then \
		echo "make serve runs with debug off and needs a secret key in DJANGO_SECRET_KEY, e.g.:"; \
		echo "  export DJANGO_SECRET_KEY=\"\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""; \
		echo "  make serve"; \
		echo "Keep the same key across restarts (sessions and password reset links depend on it)."; \
		exit 1; \
	fi

serve: serve-env compilemessages migrate
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput
	$(SERVE_ENV) $(VENV)/bin/gunicorn rightsnet.wsgi:application \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

# Throughput under load: gunicorn with the production settings on a throwaway database of
# generated organizations, driven by wrk, beside Datasette (see docs/performance.md).
LOADTEST_ARGS ?=
loadtest: compilemessages
	$(PY) scripts/loadtest.py $(LOADTEST_ARGS)

messages: install
	$(PY) manage.py makemessages --locale ru --locale en --ignore "$(VENV)/*" --no-obsolete

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3 node_modules
