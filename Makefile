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
.PHONY: help install install-test migrate messages compilemessages sampledata run test serve lint format clean

help:
	@echo "make run        serve the site on http://$(HOST):$(PORT)/ with the sample data (SQLite unless DATABASE_URL)"
	@echo "make test       run every test"
	@echo "make serve      production-like: gunicorn + WhiteNoise, debug off"
	@echo "make messages   update locale/*.po from the code and templates"
	@echo "make lint       ruff check and format check"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[test]"
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

test: install-test compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

serve: compilemessages sampledata
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(PY) manage.py collectstatic --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(VENV)/bin/gunicorn rightsnet.wsgi:application \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

messages: install
	$(PY) manage.py makemessages --locale ru --locale en --ignore "$(VENV)/*" --no-obsolete

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3
