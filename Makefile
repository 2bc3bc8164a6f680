# Two commands set everything up: `make run` and `make test`. Only python3 is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Parallel test processes (pytest-xdist); "auto" is one per core.
TEST_WORKERS ?= auto
DEV_ENV := DEBUG=1 SECRET_KEY=$${SECRET_KEY:-dev-only-insecure-key}
TEST_ENV := SECRET_KEY=test-only-insecure-key HTTPS=0

.PHONY: install demo-db run reset-demo serve test lint check-migrations format messages compile-messages bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The development database (SQLite, db.sqlite3) with the roles and the demo patients.
demo-db: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py recompute_evaluations
	$(DEV_ENV) $(BIN)/python manage.py setup_roles
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

# Serve on SQLite; the demo login (a new password each time) is printed last.
run: demo-db
	@$(DEV_ENV) $(BIN)/python manage.py demo_login --url http://127.0.0.1:$(PORT)/
	@$(DEV_ENV) $(BIN)/python manage.py runserver --skip-checks 127.0.0.1:$(PORT)

# A fresh demo database: the SQLite file and the archived PDFs are deleted and rebuilt.
reset-demo: install
	@test -z "$$DATABASE_URL" || { echo "reset-demo only deletes the SQLite demo database; unset DATABASE_URL"; exit 1; }
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	rm -rf var/media
	$(MAKE) --no-print-directory demo-db
	@$(DEV_ENV) $(BIN)/python manage.py demo_login --url http://127.0.0.1:$(PORT)/

# Production-style serving: gunicorn + WhiteNoise, DEBUG off. Needs SECRET_KEY (and
# ALLOWED_HOSTS, DATABASE_URL ...) in the environment; see the README's Production section.
# Workers, threads, address and trusted proxies: gunicorn.conf.py, from the environment.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py check --database default
	$(BIN)/python manage.py recompute_evaluations
	$(BIN)/python manage.py collectstatic --noinput -v0
	BIND=$${BIND:-127.0.0.1:$(PORT)} $(BIN)/gunicorn --config gunicorn.conf.py

test: install
	@command -v chromium >/dev/null || echo "Chromium not found: browser tests will be skipped (apt-get install chromium)"
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy

# Migrations match the models, and every migration reverses: migrate a throwaway database up,
# down to zero and up again (SQLite; and PostgreSQL too when DATABASE_URL points at one).
check-migrations: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python .ci/migrations_round_trip.py

# Translations of the patient's pages (locale/<lang>/LC_MESSAGES/django.po). `messages`
# extracts the strings (needs GNU gettext's xgettext: a translator's tool, not needed to run);
# after translating, `compile-messages` writes the .mo with polib (pure Python). Both the .po
# and the .mo are committed, so `make run` and `make test` need no gettext.
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l es --add-location=file \
		--ignore "bench/*" --ignore "tests/*" --ignore "staticfiles/*" --ignore "var/*" \
		--ignore "templates/admin/*" --ignore "templates/registration/*"

compile-messages: install
	$(BIN)/python -c 'import pathlib, polib; [polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo"))) for po in pathlib.Path("locale").glob("*/LC_MESSAGES/django.po")]'

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
