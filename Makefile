# The portal's two commands: `make run` (demo on SQLite) and `make test` (suite on PostgreSQL).
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
PORT ?= 8000
# DEBUG is off by default (portal/settings.py): the demo run and local commands turn it on, which
# also gives them the demo SECRET_KEY and AUDIT_SEAL_KEY.
DEMO_ENV := DEBUG=True
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format bench prod-check deps-run deps-test migrate

.venv/.installed-run: requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q -r requirements.txt
	touch $@

.venv/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q -r requirements-dev.txt
	touch $@ .venv/.installed-run

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

deps-run:
	scripts/system-deps.sh run

deps-test:
	scripts/system-deps.sh test

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## Start the portal with demo data on http://127.0.0.1:$(PORT) (SQLite under var/ unless DATABASE_URL is set).
run: deps-run .venv/.installed-run node_modules/.package-lock.json locale/en/LC_MESSAGES/django.mo
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo ""
	@echo "Portal en http://127.0.0.1:$(PORT)/"
	@echo "Cuentas de demostración (contraseña $${DEMO_PASSWORD:-Portal-Demo-2026}): comision.admin, comision.revisor,"
	@echo "  comision.auditor (segundo factor: README.md), inst1.admin, inst1.analista, inst2.admin, inst2.analista."
	@echo "Los correos que envíe el portal aparecen en esta consola y en «Correos enviados por el portal» (/notificaciones/envios/)."
	@echo ""
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Run the whole suite on a throwaway PostgreSQL, with branch coverage.
test: deps-test .venv/.installed-dev node_modules/.package-lock.json locale/en/LC_MESSAGES/django.mo
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/mypy
	.venv/bin/pytest --cov --cov-report=term $(PYTEST_ARGS)

## Benchmarks on a throwaway PostgreSQL (started like the tests): prints figures, asserts nothing.
bench: deps-test .venv/.installed-dev
	.venv/bin/pytest bench -q -s -o python_files="bench_*.py" -o python_functions="bench_*" $(PYTEST_ARGS)

## Style, formatting, the layers contract and the services' types (pyproject.toml).
lint: .venv/.installed-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/mypy

format: .venv/.installed-dev
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Production-like environment for `make prod-check` (no real secrets: nothing connects).
PROD_CHECK_ENV := DJANGO_SETTINGS_MODULE=portal.settings DEBUG=False \
	SECRET_KEY=prod-check-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP \
	AUDIT_SEAL_KEY=prod-check-only-seal-key-0123456789abcdefghijklmnopqrstuvwxyz \
	AUDIT_CHECKPOINT_KEY=cHJvZC1jaGVjay1vbmx5LWNoZWNrcG9pbnQta2V5ISE= \
	ALLOWED_HOSTS=portal.example.gob.mx CSRF_TRUSTED_ORIGINS=https://portal.example.gob.mx \
	PORTAL_SITE_URL=https://portal.example.gob.mx OIDC_RSA_PRIVATE_KEY_FILE=var/prod-check-oidc-key.pem \
	DATABASE_URL=postgres://portal:secret@127.0.0.1:5432/portal REDIS_URL=redis://127.0.0.1:6379/0

## Django's deployment checks with production settings; any warning fails.
prod-check: .venv/.installed-run
	@mkdir -p var && test -f var/prod-check-oidc-key.pem || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out var/prod-check-oidc-key.pem 2>/dev/null
	env -u DJANGO_ALLOW_ASYNC_UNSAFE $(PROD_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING
