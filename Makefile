# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export REGISTRY_TEST_POSTGRES_URL ?=

.PHONY: run test test-sqlite test-postgres install venv db seed serve lint format translations bench bench-listing bench-import bench-workspaces bench-targets bench-reports bench-load clean browsers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed  ## virtualenv with the app and its development tools

db: install  ## migrate the database to the newest schema
	$(BIN)/registry db upgrade

seed: db  ## reference data and the demo data set
	$(BIN)/registry seed
	$(BIN)/registry seed --demo

run: seed  ## set everything up and serve on http://127.0.0.1:5000 (SQLite)
	$(BIN)/registry serve --host $(HOST) --port $(PORT)

serve: install  ## production: gunicorn (deploy/gunicorn.conf.py) on PostgreSQL at REGISTRY_DATABASE_URL
	@if [ -z "$$REGISTRY_DATABASE_URL" ]; then \
	  echo "error: make serve runs in production mode on PostgreSQL: set REGISTRY_DATABASE_URL=postgresql+psycopg://USER@HOST/DB and REGISTRY_SECRET_KEY (see README, Deployment)" >&2; \
	  exit 2; \
	fi
	REGISTRY_ENV=production $(BIN)/gunicorn --config deploy/gunicorn.conf.py

test: install  ## the whole suite (SQLite; PostgreSQL and Chromium tests when available)
	$(BIN)/pytest -n 2 --dist loadgroup

test-postgres: install  ## the whole suite against PostgreSQL at REGISTRY_TEST_POSTGRES_URL
	REGISTRY_TEST_DATABASE=postgres $(BIN)/pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check registry tests bench migrations deploy

format: install
	$(BIN)/ruff format registry tests bench migrations deploy

translations: install  ## extract messages and compile the catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o registry/translations/messages.pot .
	$(BIN)/pybabel update -i registry/translations/messages.pot -d registry/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d registry/translations

bench: bench-listing bench-import bench-workspaces bench-targets bench-reports  ## every benchmark (numbers go to the README by hand)

bench-listing: install
	$(BIN)/python bench/listing.py

bench-import: install  ## import 10,000 rows; every export of 100,000 carriers (files, a version, the listing)
	$(BIN)/python bench/import_export.py

bench-workspaces: install  ## reviewer and carrier workspaces at 100,000 carriers
	$(BIN)/python bench/workspaces.py
bench-targets: install  ## progress of every seed target with breakdowns at 100k carriers
	$(BIN)/python bench/targets.py

bench-reports: install  ## annual reports and evaluation pages, reminders and rules at 100,000 carriers
	$(BIN)/python -m bench.reports

clean:
	rm -rf $(VENV) instance .pytest_cache

.venv-load/bin/locust:  # locust (and its gevent) in a virtualenv of its own, away from the app's
	$(PYTHON) -m venv .venv-load
	.venv-load/bin/pip install --quiet "locust>=2.20,<3"

bench-load: install .venv-load/bin/locust  ## 50 clients for 60 s against gunicorn + PostgreSQL, then the database checked
	$(BIN)/python bench/load.py
