# Xianfeng developer tasks. GNU make; every recipe runs in one bash shell.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed
ASSETS      := vendor/assets
PYTHON      ?= python3
PYTEST_ARGS ?=
SEED        ?=
HOST        ?= 127.0.0.1
PORT        ?= 8000
REDIS_PORT  ?= 6379
WORKERS     ?= 0
BENCH_PG    ?= 1
BENCH_ARGS  ?=

.PHONY: help setup apt-deps venv assets run test test-pg bench clean

help:
	@echo "make setup    - Debian packages, .venv with '.[test]', front-end assets"
	@echo "make run      - redis (if needed), xianfeng init, worker + server on $(HOST):$(PORT) (WORKERS=N web processes, 0 = one per core)"
	@echo "make test     - pytest in random order against a private redis (PYTEST_ARGS=..., SEED=N to repeat an order)"
	@echo "make test-pg  - like test, plus a throwaway PostgreSQL"
	@echo "make bench    - python -m benchmarks against a private redis and PostgreSQL (BENCH_PG=0 without; BENCH_ARGS='load' for one module)"
	@echo "make clean    - remove var/ test-artifacts/ bench-results.json"

setup: apt-deps venv assets

apt-deps:
	@bash scripts/apt_deps.sh

venv: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Re-install only when pyproject.toml changed since the last successful install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

assets:
	@bash scripts/fetch_assets.sh $(ASSETS)

run: setup
	@mkdir -p var/redis
	started_redis=0
	if [[ "$$(redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping 2>/dev/null)" != "PONG" ]]; then
	    bash scripts/redis.sh start var/redis $(REDIS_PORT)
	    started_redis=1
	fi
	worker_pid=""
	cleanup() {
	    if [[ -n "$$worker_pid" ]]; then kill "$$worker_pid" 2>/dev/null || true; wait "$$worker_pid" 2>/dev/null || true; fi
	    if [[ "$$started_redis" == 1 ]]; then bash scripts/redis.sh stop var/redis $(REDIS_PORT); fi
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	export XIANFENG_REDIS_URL="$${XIANFENG_REDIS_URL:-redis://127.0.0.1:$(REDIS_PORT)/0}"
	$(VENV)/bin/xianfeng init
	$(VENV)/bin/xianfeng worker &
	worker_pid=$$!
	$(VENV)/bin/xianfeng run --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: setup
	@tmp="$$(mktemp -d)"
	port="$$(bash scripts/free_port.sh)"
	cleanup() { bash scripts/redis.sh stop "$$tmp/redis" "$$port" || true; rm -rf "$$tmp"; }
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	bash scripts/redis.sh start "$$tmp/redis" "$$port"
	export XIANFENG_REDIS_URL="redis://127.0.0.1:$$port/0"
	status=0
	$(PY) -m pytest -q $$(bash scripts/test_order.sh "$(SEED)" "$(PYTEST_ARGS)") $(PYTEST_ARGS) || status=$$?
	exit $$status

test-pg: setup
	@bash scripts/apt_deps.sh --pg
	tmp="$$(mktemp -d)"
	chmod 755 "$$tmp"
	port="$$(bash scripts/free_port.sh)"
	pg_port="$$(bash scripts/free_port.sh)"
	cleanup() {
	    bash scripts/pg.sh stop "$$tmp/pg" "$$pg_port" || true
	    bash scripts/redis.sh stop "$$tmp/redis" "$$port" || true
	    rm -rf "$$tmp"
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	bash scripts/redis.sh start "$$tmp/redis" "$$port"
	db_url="$$(bash scripts/pg.sh start "$$tmp/pg" "$$pg_port")"
	export XIANFENG_REDIS_URL="redis://127.0.0.1:$$port/0"
	export XIANFENG_DATABASE_URL="$$db_url"
	export XIANFENG_TEST_PG=1
	status=0
	$(PY) -m pytest -q $$(bash scripts/test_order.sh "$(SEED)" "$(PYTEST_ARGS)") $(PYTEST_ARGS) || status=$$?
	exit $$status

bench: setup
	@bash scripts/apt_deps.sh --bench $(if $(filter 1,$(BENCH_PG)),--pg)
	tmp="$$(mktemp -d)"
	chmod 755 "$$tmp"
	port="$$(bash scripts/free_port.sh)"
	pg_port="$$(bash scripts/free_port.sh)"
	cleanup() {
	    bash scripts/pg.sh stop "$$tmp/pg" "$$pg_port" || true
	    bash scripts/redis.sh stop "$$tmp/redis" "$$port" || true
	    rm -rf "$$tmp"
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	bash scripts/redis.sh start "$$tmp/redis" "$$port"
	export XIANFENG_REDIS_URL="redis://127.0.0.1:$$port/0"
	if [[ "$(BENCH_PG)" == 1 ]]; then
	    export XIANFENG_BENCH_PG_URL="$$(bash scripts/pg.sh start "$$tmp/pg" "$$pg_port")"
	fi
	status=0
	$(PY) -m benchmarks $(BENCH_ARGS) || status=$$?
	exit $$status

clean:
	rm -rf var/ test-artifacts/ bench-results.json
