# Kium — the commands of the README. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/kium_test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-postgres lint format bench vendor messages check-deploy clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) scripts/check_chromium.py
	$(VENV)/bin/pytest tests --ignore=tests/concurrency -n 2 -q

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_PG)} $(VENV)/bin/pytest tests -n 2 -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	KIUM_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	ALLOWED_HOSTS=kium.example.kr KIUM_SMS_PROVIDER=solapi KIUM_SOLAPI_API_KEY=x KIUM_SOLAPI_API_SECRET=y \
	KIUM_SMS_SENDER=0212345678 CACHE_URL=locmem:// EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	$(PY) manage.py check --deploy --fail-level WARNING

messages: install
	sh src/kium/locale/refresh.sh

vendor:
	bash scripts/vendor_assets.sh

bench: install
	$(PY) bench/run.py $(TARGET) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3
