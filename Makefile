# The one list of the portal's commands. `make help` describes them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 1
LOAD_SCALE ?= 50
# Both cores; each test file stays on one worker (they share module-level servers and databases).
PYTEST_ARGS ?= --numprocesses 2 --dist loadfile
PORT ?= 8000
LOCAL := DEBUG=true

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[dev]'
	touch $(BIN)/activate

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/build/portal.css: node_modules/.package-lock.json static/scss/portal.scss
	npm run --silent build

.PHONY: install
install: $(BIN)/activate static/build/portal.css ## Install Python and npm packages and build the GOV.UK styles

.PHONY: run
run: install ## Serve the portal with demo data at http://127.0.0.1:8000 (SQLite, tasks in-process, mail to var/mail)
	mkdir -p var/mail
	$(LOCAL) $(BIN)/python manage.py migrate --no-input
	$(LOCAL) $(BIN)/python manage.py seed_demo
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in with a demo account above."
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

.PHONY: demo-code
demo-code: ## Print the authenticator code the demo staff accounts need now, after their password
	@$(LOCAL) $(BIN)/python manage.py demo_code

.PHONY: test
test: install ## Run the whole suite: ruff, migrations check and pytest (PostgreSQL, Redis, SMTP, Chromium)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(LOCAL) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: bench
bench: install ## Run the benchmark scenarios at SCALE (default 1); figures in var/bench/results.json
	$(BIN)/python -m tests.bench.run --scale $(SCALE)

.PHONY: loadtest
loadtest: install ## Load-test the portal under gunicorn at LOAD_SCALE (default 50); figures in var/load/
	$(BIN)/python -m tests.load.run --scale $(LOAD_SCALE) $(LOAD_ARGS)

.PHONY: audit
audit: install ## Check the pinned Python packages for known vulnerabilities (pip-audit)
	$(BIN)/pip-audit --strict --progress-spinner off

.PHONY: backup
backup: ## Back up the database at DATABASE_URL to FILE (default var/backups/portal-<time>.dump; pg_dump)
	ops/backup.sh $(FILE)

.PHONY: restore
restore: ## Restore FILE into a new database NAME on DATABASE_URL's server (pg_restore; never overwrites)
	ops/restore.sh "$(FILE)" "$(NAME)"

.PHONY: format
format: install ## Reformat the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: worker
worker: install ## Run a Celery worker with beat (needs CELERY_BROKER_URL)
	$(BIN)/celery -A portal worker --beat --loglevel INFO

.PHONY: clean
clean: ## Remove the local database, mail and built files
	rm -rf var static/build staticfiles
