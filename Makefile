# Two commands on a machine with only Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate superuser demo worker beat bench clients clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Reinstalls only when a requirements file changed, so re-running `make run` is fast.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the pinned requirements

# The development targets run with `make run`'s embedded defaults: DEBUG on (so the settings'
# throwaway development key), SQLite and the filesystem broker unless the environment says
# otherwise. DEBUG=0 in the environment wins, and then SECRET_KEY is required as always.
migrate run worker beat superuser demo: export DEBUG ?= 1

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

run: migrate ## Serve the API on 127.0.0.1:$(PORT) with a Celery worker and beat (Ctrl-C stops all)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --port $(PORT)

worker: install ## Run only a Celery worker (uses CELERY_BROKER_URL)
	$(BIN)/celery -A social_media worker --loglevel=INFO

beat: install ## Run only Celery beat (exactly one per deployment)
	$(BIN)/celery -A social_media beat --loglevel=INFO

test: install ## Run the whole test suite (SQLite by default; PostgreSQL/Redis when configured)
	$(BIN)/pytest

lint: install ## ruff check, format check, and the apps' import direction (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: migrate ## Create an admin account (DJANGO_SUPERUSER_EMAIL/USERNAME/PASSWORD: no prompts)
	$(BIN)/python manage.py createsuperuser $(if $(DJANGO_SUPERUSER_PASSWORD),--noinput)

demo: migrate ## Fill the database with demo data
	$(BIN)/python manage.py seed_demo

bench: install ## Benchmark against PostgreSQL and Redis (see docs/performance.md)
	$(BIN)/python bench/run.py

# Both clients come from the schema the code generates now, with no hand edits: a Python
# package (openapi-python-client, pinned in requirements-dev.txt) and TypeScript types for
# openapi-fetch (pinned in clients/typescript/package-lock.json), type-checked with a script
# that makes the API's main calls. The generator formats its output with the venv's ruff.
CLIENTS := var/clients
clients: install ## Generate the Python and TypeScript clients into var/clients and type-check
	mkdir -p $(CLIENTS)
	DEBUG=0 SECRET_KEY=client-generation $(BIN)/python manage.py spectacular \
		--file $(CLIENTS)/openapi.yaml
	rm -rf $(CLIENTS)/python
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate \
		--path $(CLIENTS)/openapi.yaml --meta setup --output-path $(CLIENTS)/python
	cd clients/typescript && npm ci --no-audit --no-fund && npm run generate && npx tsc --noEmit

clean: ## Remove the virtualenv and local state (database, broker, media)
	rm -rf $(VENV) var staticfiles
