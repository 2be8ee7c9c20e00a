# The two commands of the README: `make run` and `make test` (`make dev`: the quick start in debug mode).
# Everything else is what they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/committee
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# `make test` runs the suite on every core (pytest-xdist): each worker has its own test database with the demo
# seeded once, its own Redis database (15, 14, ...) and media folder (tests/conftest.py). TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto

.PHONY: run dev test install system-packages services lint format check lock bench

# The quick start: production settings (error pages, whitenoise) over plain HTTP on 127.0.0.1, with a secret key
# generated once under var/ (QUICKSTART=true, config/settings.py). Static files are collected while the database
# is migrated (a new SQLite database gets its tables at once: migrate_quickstart) and the demo's streets and
# accounts are seeded; the rest of the demo is seeded in the background once the server answers (SEED_DEMO_REST,
# run.sh), and the demo's PDFs are rendered by the worker run.sh starts.
run: export DEBUG = false
run: export QUICKSTART = true
run: install
	./scripts/system-packages.sh --no-browser
	$(BIN)/python manage.py collectstatic --no-input -v 0 & collect=$$!; \
	  $(BIN)/python manage.py migrate_quickstart --skip-checks && \
	  $(BIN)/python manage.py seed_demo --accounts --skip-checks && wait $$collect
	SEED_DEMO_REST=true ./scripts/run.sh

# The same with Django's debug mode: tracebacks and the URL list on errors, runserver reloading on changes.
dev: export DEBUG = true
dev: install
	./scripts/system-packages.sh --no-browser
	$(BIN)/python manage.py migrate_quickstart
	$(BIN)/python manage.py seed_demo
	./scripts/run.sh

test: install lint
	./scripts/system-packages.sh
	@if [ -z "$$DATABASE_URL$$REDIS_URL" ]; then ./scripts/services.sh; fi
	rm -rf var/test-media
	DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true MEDIA_ROOT=$(CURDIR)/var/test-media \
	  DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || ./scripts/system-packages.sh --no-browser
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt ".[dev]"
	touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the pinned versions after changing pyproject.toml.
lock: install
	$(BIN)/pip freeze --exclude street-committee > constraints.txt

# Speed, query counts and memory of the main pages through gunicorn, on the demo and the scale data, as JSON
# (not a pass/fail test; scripts/bench.py). PostgreSQL from ./scripts/services.sh unless BENCH_*DATABASE_URL say.
bench: install
	@if [ -z "$$BENCH_DATABASE_URL$$BENCH_SCALE_DATABASE_URL" ]; then ./scripts/services.sh; fi
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
