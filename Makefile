# The two commands a newcomer types: `make run` and `make test` (README, CONTRACT "Set-up").
.PHONY: run test bench setup lint openapi clean

STAMP := .venv/.installed

$(STAMP): requirements.lock pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	@touch $(STAMP)

setup: $(STAMP)

# `make run PORT=8080 HOST=0.0.0.0` to serve elsewhere than 127.0.0.1:8000.
PORT ?= 8000
HOST ?= 127.0.0.1

run: $(STAMP)
	.venv/bin/yakuba serve --demo --host $(HOST) --port $(PORT)

test: $(STAMP)
	bash scripts/test.sh

bench: $(STAMP)
	.venv/bin/python -m bench

lint: $(STAMP)
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

# Refresh docs/openapi.json after changing the API (a test fails while it is stale).
openapi: $(STAMP)
	.venv/bin/yakuba openapi --write

clean:
	rm -rf .venv var test-artifacts .pytest_cache .ruff_cache .hypothesis
