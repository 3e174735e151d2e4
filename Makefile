# Two commands for a fresh machine: `make run` and `make test`. Both are idempotent and quick
# the second time (stamps track what is installed).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit frontend browser clean

run: $(STAMP) frontend
	$(BIN)/tessera serve --host 127.0.0.1 --port 8000 --data-dir .tessera

test: $(STAMP) frontend browser lint
	$(BIN)/pytest -q -p no:cacheprovider
	@if [ -f frontend/package.json ]; then cd frontend && npm test --silent; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

# The browser app. Skipped while frontend/ has no package.json.
frontend: frontend/dist/index.html
frontend/dist/index.html: $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print 2>/dev/null)
	@if [ -f frontend/package.json ]; then \
	  cd frontend && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

# Debian's Chromium and CJK fonts for the browser tests (never `playwright install`).
browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans cjk" || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
