# The two commands: `make run` (demo server) and `make test` (whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-test worker messages clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-test.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Local demo: SQLite, DEBUG on, mail printed to this terminal, task worker alongside the server.
run: export DEBUG := True
run: $(VENV)/.installed
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "サーバーを起動します: http://$(HOST):$(PORT)/  （終了は Ctrl+C）"
	@echo "送信メールとタスクの記録は var/worker.log に出力されます（tail -f var/worker.log）。"
	@$(BIN)/python manage.py db_worker > var/worker.log 2>&1 & WORKER=$$!; \
	$(BIN)/python manage.py run_schedule > var/schedule.log 2>&1 & SCHEDULE=$$!; \
	$(BIN)/python manage.py mail_listener --host 127.0.0.1 --port 2525 > var/mail_listener.log 2>&1 & LISTENER=$$!; \
	trap 'kill $$WORKER $$SCHEDULE $$LISTENER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	YOROZU_ALLOW_INSECURE_KEY=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

worker: $(VENV)/.installed
	$(BIN)/python manage.py db_worker

messages: $(VENV)/.installed
	DEBUG=True $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	DEBUG=True $(BIN)/python manage.py compilemessages -l en --ignore=.venv
