# The two commands a newcomer types: `make run` and `make test` (README, CONTRACT "Set-up").
.PHONY: run test bench setup lint openapi clean

STAMP := .venv/.installed

$(STAMP): requirements.lock pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	.venv/bin/yakuba serve --demo

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
