# Maeul Portal. `make run` brings the whole portal up; `make test` runs every check.
PYTHON_BASE ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help install system-packages run test quick lint format messages services seed bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON_BASE) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: system-packages $(STAMP) ## Debian packages, .venv with every pinned dependency, translations
	@$(PY) -m portal.i18n compile

system-packages: ## Install what debian-packages.txt lists and is missing (as root; else says what to run)
	@bin/system-packages

run: install ## Start PostgreSQL, Redis, web, worker and beat with demo data (Ctrl-C stops all)
	$(PY) -m portal.dev run

test: install ## Lint, migration and system checks, then the whole test suite (ARGS=... for pytest)
	$(PY) -m portal.dev test $(ARGS)

quick: install ## The fast lane: lint, checks and every test but the browser and real-worker ones
	$(PY) -m portal.dev test -m "not browser and not celery_worker" $(ARGS)

lint: install ## ruff check and format check only
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(PY) -m ruff check --fix . && $(PY) -m ruff format .

messages: install ## Refresh the .po catalogues from the source (needs GNU gettext)
	$(PY) -m portal.i18n make

services: install ## Start only PostgreSQL and Redis and print their URLs
	$(PY) -m portal.dev shell-env

seed: install ## Load the demo data into the running database (GROUPS=N for scale)
	$(PY) -m portal.dev manage seed_demo $(if $(GROUPS),--groups $(GROUPS))

bench: install ## Load-test every page over HTTP under gunicorn (GROUPS=N, ARGS="--duration 10 --only admin --mix")
	$(PY) -m bench.http $(if $(GROUPS),--groups $(GROUPS)) $(ARGS)

clean: ## Remove .venv and the embedded servers' data
	rm -rf $(VENV) .var staticfiles
